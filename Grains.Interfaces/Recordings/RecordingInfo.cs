using System.Collections.Immutable;

namespace Grains.Interfaces.Recordings;

/// <summary>Values are stored: never renumber.</summary>
[GenerateSerializer, Alias("Rtc.RecordingState")]
public enum RecordingStatus
{
    Recording = 1,
    Stopped = 2,
    /// <summary>Every file failed (e.g. the disk filled): see <see cref="RecordingInfo.Error"/>.</summary>
    Failed = 3,
}

/// <summary>A recording and its files. A participant whose tracks move to another node gets a new part there.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.RecordingInfo")]
public sealed record RecordingInfo(
    [property: Id(0)] string RecordingId,
    [property: Id(1)] RecordingSpec Spec,
    [property: Id(2)] RecordingStatus Status,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] DateTimeOffset? StoppedAt,
    [property: Id(5)] string? Error,
    [property: Id(6)] ImmutableArray<RecordingFile> Files);

/// <summary>
/// One file: a participant's part on one node. <see cref="State"/> is "waiting", "recording", "finished" or
/// "failed". Times are the media's (first frame, and its start plus the duration).
/// </summary>
[GenerateSerializer, Immutable, Alias("Rtc.RecordingFile")]
public sealed record RecordingFile(
    [property: Id(0)] string Name,
    [property: Id(1)] string Identity,
    [property: Id(2)] int Part,
    [property: Id(3)] string NodeId,
    [property: Id(4)] string State,
    [property: Id(5)] DateTimeOffset? StartedAt,
    [property: Id(6)] double DurationSeconds,
    [property: Id(7)] long Bytes,
    [property: Id(8)] string? Error,
    [property: Id(9)] string? Location,
    [property: Id(10)] ImmutableArray<string> StreamIds);
