using System.Collections.Immutable;
using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Grains.Events;

/// <summary>
/// Rebuilds a room's state from its log: a pure function of the previous state and one event. The live
/// room grain applies its events through this same function, so the live state and a replay of the full
/// log cannot drift apart.
/// </summary>
/// <remarks>
/// Cascades are part of an event's meaning, so one event stays one atomic change: a participant who
/// leaves or is kicked takes their streams (and every subscription to them) and their own subscriptions
/// along; an unpublished stream ends its subscriptions; a closed room has no one left in it.
/// </remarks>
public static class RoomStateProjector
{
    public static RoomSnapshot Empty(string roomId) => new() { RoomId = roomId };

    /// <summary>Applies <paramref name="e"/>, which must be the room's next event (sequence + 1).</summary>
    public static RoomSnapshot Apply(RoomSnapshot state, RoomEvent e)
    {
        if (e.RoomId != state.RoomId)
            throw new InvalidOperationException($"Event of room '{e.RoomId}' applied to room '{state.RoomId}'.");
        if (e.Sequence != state.LastSequence + 1)
            throw new InvalidOperationException($"Room '{state.RoomId}': expected event {state.LastSequence + 1}, got {e.Sequence}.");
        if (state.Bans.IsDefault)
            state = state with { Bans = [] }; // a checkpoint written before bans existed

        var next = e.Type switch
        {
            RoomEventType.Created => state with
            {
                Status = RoomStatus.Open,
                Options = e.Options ?? RoomOptions.Default,
                CreatedAt = e.Timestamp,
                ClosedAt = null,
            },
            RoomEventType.Joined => state with
            {
                Participants = Insert(state.Participants,
                    new ParticipantInfo(state.RoomId, Required(e.Identity, e), e.Permissions ?? ParticipantPermissions.None, e.Timestamp, e.Metadata ?? ""),
                    p => p.Identity),
            },
            RoomEventType.Left => RemoveParticipant(state, Required(e.Identity, e)),
            RoomEventType.Kicked => Ban(RemoveParticipant(state, Required(e.Identity, e)), e.Identity!, e.Timestamp + state.Options.KickBan),
            RoomEventType.Unbanned => state with { Bans = state.Bans.RemoveAll(b => b.Identity == e.Identity) },
            RoomEventType.Published => state with
            {
                Streams = Insert(state.Streams,
                    new StreamInfo(state.RoomId, Required(e.StreamId, e), Required(e.Identity, e), e.Kind ?? StreamKind.Audio,
                        e.Codec ?? "", e.Ssrcs ?? [], e.OriginSilo ?? "", e.Timestamp),
                    s => s.StreamId),
            },
            RoomEventType.Unpublished => RemoveStreams(state, new HashSet<string>(StringComparer.Ordinal) { Required(e.StreamId, e) }),
            RoomEventType.Subscribed => state with
            {
                Subscriptions = Insert(state.Subscriptions,
                    new SubscriptionInfo(state.RoomId, Required(e.StreamId, e), Required(e.Identity, e), e.Timestamp),
                    SubscriptionKey),
            },
            RoomEventType.Unsubscribed => state with
            {
                Subscriptions = state.Subscriptions.RemoveAll(s => s.StreamId == e.StreamId && s.SubscriberIdentity == e.Identity),
            },
            RoomEventType.Closed => state with
            {
                Status = RoomStatus.Closed,
                ClosedAt = e.Timestamp,
                Participants = [],
                Streams = [],
                Subscriptions = [],
                Bans = [],
            },
            RoomEventType.RecordingStarted or RoomEventType.RecordingStopped or RoomEventType.RecordingFailed => state,
            _ => throw new InvalidOperationException($"Unknown room event type {e.Type}."),
        };
        return next with { LastSequence = e.Sequence, AsOf = e.Timestamp, Bans = WithoutExpired(next.Bans, e.Timestamp) };
    }

    /// <summary>The ban of <paramref name="identity"/> at <paramref name="at"/>, if one runs then.</summary>
    public static RoomBan? BanOf(RoomSnapshot state, string identity, DateTimeOffset at) =>
        state.Bans.IsDefault ? null : state.Bans.FirstOrDefault(b => b.Identity == identity && b.Until > at);

    private static RoomSnapshot Ban(RoomSnapshot state, string identity, DateTimeOffset until) =>
        until <= state.AsOf ? state : state with { Bans = Insert(state.Bans, new RoomBan(identity, until), b => b.Identity) };

    // Bans that ran out by an event's time are dropped with it, so the list stays as short as the bans in force.
    private static ImmutableArray<RoomBan> WithoutExpired(ImmutableArray<RoomBan> bans, DateTimeOffset at) =>
        bans.IsEmpty || bans.All(b => b.Until > at) ? bans : bans.RemoveAll(b => b.Until <= at);

    /// <summary>Applies events in order.</summary>
    public static RoomSnapshot ApplyAll(RoomSnapshot state, IEnumerable<RoomEvent> events)
    {
        foreach (var e in events)
            state = Apply(state, e);
        return state;
    }

    /// <summary>Identities of participants publishing at least one stream.</summary>
    public static int PublisherCount(RoomSnapshot state) =>
        state.Streams.Select(s => s.PublisherIdentity).Distinct(StringComparer.Ordinal).Count();

    private static RoomSnapshot RemoveParticipant(RoomSnapshot state, string identity)
    {
        var streams = state.Streams.Where(s => s.PublisherIdentity == identity).Select(s => s.StreamId).ToHashSet(StringComparer.Ordinal);
        var without = RemoveStreams(state, streams);
        return without with
        {
            Participants = without.Participants.RemoveAll(p => p.Identity == identity),
            Subscriptions = without.Subscriptions.RemoveAll(s => s.SubscriberIdentity == identity),
        };
    }

    private static RoomSnapshot RemoveStreams(RoomSnapshot state, IReadOnlySet<string> streamIds) => state with
    {
        Streams = state.Streams.RemoveAll(s => streamIds.Contains(s.StreamId)),
        Subscriptions = state.Subscriptions.RemoveAll(s => streamIds.Contains(s.StreamId)),
    };

    private static string SubscriptionKey(SubscriptionInfo s) => s.StreamId + "\n" + s.SubscriberIdentity;

    /// <summary>Inserts in ordinal key order, replacing an item with the same key.</summary>
    private static ImmutableArray<T> Insert<T>(ImmutableArray<T> items, T item, Func<T, string> key)
    {
        string k = key(item);
        for (int i = 0; i < items.Length; i++)
        {
            int c = string.CompareOrdinal(key(items[i]), k);
            if (c == 0)
                return items.SetItem(i, item);
            if (c > 0)
                return items.Insert(i, item);
        }
        return items.Add(item);
    }

    private static string Required(string? value, RoomEvent e) =>
        value ?? throw new InvalidOperationException($"Room '{e.RoomId}' event {e.Sequence} ({e.Type}) lacks a required field.");
}
