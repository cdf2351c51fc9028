using System.Collections.Immutable;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Grains.Interfaces.Events;

/// <summary>
/// One change of a room, as appended to its log. <see cref="Sequence"/> starts at 1 and has no gaps
/// within a room. Fields a type does not use are null. Enough is recorded to rebuild the room's state
/// from the log alone.
/// </summary>
[GenerateSerializer, Immutable, Alias("Rtc.RoomEvent")]
public sealed record RoomEvent
{
    [Id(0)] public required string RoomId { get; init; }
    [Id(1)] public long Sequence { get; init; }
    [Id(2)] public required DateTimeOffset Timestamp { get; init; }
    [Id(3)] public required RoomEventType Type { get; init; }
    /// <summary>Participant concerned (joined, left, kicked, published, subscriber).</summary>
    [Id(4)] public string? Identity { get; init; }
    [Id(5)] public string? StreamId { get; init; }
    /// <summary>Created: the room's options.</summary>
    [Id(6)] public RoomOptions? Options { get; init; }
    /// <summary>Joined: the participant's permissions.</summary>
    [Id(7)] public ParticipantPermissions? Permissions { get; init; }
    /// <summary>Joined: participant metadata.</summary>
    [Id(8)] public string? Metadata { get; init; }
    /// <summary>Published: the stream.</summary>
    [Id(9)] public StreamKind? Kind { get; init; }
    [Id(10)] public string? Codec { get; init; }
    [Id(11)] public ImmutableArray<uint>? Ssrcs { get; init; }
    [Id(12)] public string? OriginSilo { get; init; }
    /// <summary>Kicked, closed: why.</summary>
    [Id(13)] public string? Reason { get; init; }
    /// <summary>Recording started, stopped, failed: which recording.</summary>
    [Id(14)] public string? RecordingId { get; init; }
}
