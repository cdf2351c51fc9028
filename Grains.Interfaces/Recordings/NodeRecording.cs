using System.Collections.Immutable;

namespace Grains.Interfaces.Recordings;

/// <summary>What a recording asks of one media node: files, each fed by streams on that node.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.NodeRecordingRequest")]
public sealed record NodeRecordingRequest(
    [property: Id(0)] string RecordingId,
    [property: Id(1)] string Container,
    [property: Id(2)] ImmutableArray<NodeRecordedFile> Files);

[GenerateSerializer, Immutable, Alias("Rtc.NodeRecordedFile")]
public sealed record NodeRecordedFile([property: Id(0)] string Name, [property: Id(1)] ImmutableArray<string> StreamIds);

/// <summary>A node's files of one recording. <see cref="Location"/> is the local path or, once uploaded, the blob's URI.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.NodeRecordedFileStatus")]
public sealed record NodeRecordedFileStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] string State,
    [property: Id(2)] DateTimeOffset? StartedAt,
    [property: Id(3)] double DurationSeconds,
    [property: Id(4)] long Bytes,
    [property: Id(5)] string? Error,
    [property: Id(6)] string Location);
