using System.Collections.Immutable;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Streams;

namespace Grains.Interfaces.Rooms;

/// <summary>
/// A room's full state at one moment: what replaying its event log up to that moment yields,
/// and what the live room reports. Two snapshots of the same moment compare equal by value.
/// </summary>
[GenerateSerializer, Immutable, Alias("Rtc.RoomSnapshot")]
public sealed record RoomSnapshot
{
    [Id(0)] public required string RoomId { get; init; }
    [Id(1)] public RoomStatus Status { get; init; }
    [Id(2)] public RoomOptions Options { get; init; } = RoomOptions.Default;
    /// <summary>Sequence number of the last event applied (0 = none).</summary>
    [Id(3)] public long LastSequence { get; init; }
    /// <summary>Timestamp of the last event applied (null = none): the moment this state began.</summary>
    [Id(4)] public DateTimeOffset? AsOf { get; init; }
    /// <summary>Participants present, ordered by identity.</summary>
    [Id(5)] public ImmutableArray<ParticipantInfo> Participants { get; init; } = [];
    /// <summary>Streams published, ordered by stream id.</summary>
    [Id(6)] public ImmutableArray<StreamInfo> Streams { get; init; } = [];
    /// <summary>Subscriptions, ordered by (stream id, subscriber).</summary>
    [Id(7)] public ImmutableArray<SubscriptionInfo> Subscriptions { get; init; } = [];
    /// <summary>When the room was created (null before).</summary>
    [Id(8)] public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>When the room was closed (null while open).</summary>
    [Id(9)] public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>Kicked identities still barred from joining at <see cref="AsOf"/>, ordered by identity.</summary>
    [Id(10)] public ImmutableArray<RoomBan> Bans { get; init; } = [];

    // ImmutableArray compares by reference; snapshots must compare by value.
    public bool Equals(RoomSnapshot? other) =>
        other is not null && RoomId == other.RoomId && Status == other.Status && Options == other.Options
        && LastSequence == other.LastSequence && AsOf == other.AsOf
        && CreatedAt == other.CreatedAt && ClosedAt == other.ClosedAt
        && Participants.AsSpan().SequenceEqual(other.Participants.AsSpan())
        && Streams.AsSpan().SequenceEqual(other.Streams.AsSpan())
        && Subscriptions.AsSpan().SequenceEqual(other.Subscriptions.AsSpan())
        && Bans.AsSpan().SequenceEqual(other.Bans.AsSpan());

    public override int GetHashCode() => HashCode.Combine(RoomId, Status, LastSequence, AsOf);
}
