using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Grains.Rooms;

/// <summary>
/// Brings the participant and stream grains in line with a room change: compares the room's state
/// before and after and tells each concerned grain what changed (removals first, then additions).
/// The room's log is the truth; these grains are views, and a view that missed a change (a crash between
/// the log append and here) is corrected the next time the room syncs after activation.
/// </summary>
internal static class RoomViewSync
{
    public static async Task ApplyAsync(IGrainFactory grains, RoomSnapshot before, RoomSnapshot after)
    {
        await ApplyRemovalsAsync(grains, before, after);
        await ApplyAdditionsAsync(grains, before, after);
    }

    /// <summary>Subscriptions, streams and participants in <paramref name="before"/> but not in <paramref name="after"/>; idempotent.</summary>
    public static async Task ApplyRemovalsAsync(IGrainFactory grains, RoomSnapshot before, RoomSnapshot after)
    {
        string room = after.RoomId;
        var calls = new List<Task>();

        foreach (var sub in Except(before.Subscriptions, after.Subscriptions))
        {
            calls.Add(Stream(grains, room, sub.StreamId).RemoveSubscriberAsync(sub.SubscriberIdentity));
            calls.Add(Participant(grains, room, sub.SubscriberIdentity).RemoveSubscriptionAsync(sub.StreamId));
        }
        await Task.WhenAll(calls);
        calls.Clear();

        foreach (var stream in Except(before.Streams, after.Streams))
        {
            calls.Add(Stream(grains, room, stream.StreamId).UnpublishAsync());
            calls.Add(Participant(grains, room, stream.PublisherIdentity).RemovePublishedAsync(stream.StreamId));
        }
        await Task.WhenAll(calls);
        calls.Clear();

        foreach (var p in Except(before.Participants, after.Participants))
            calls.Add(Participant(grains, room, p.Identity).LeaveAsync());
        await Task.WhenAll(calls);
    }

    private static async Task ApplyAdditionsAsync(IGrainFactory grains, RoomSnapshot before, RoomSnapshot after)
    {
        string room = after.RoomId;
        var calls = new List<Task>();

        foreach (var p in Except(after.Participants, before.Participants))
            calls.Add(Participant(grains, room, p.Identity).JoinAsync(new JoinRequest(p.Identity, p.Permissions, p.Metadata), p.JoinedAt));
        await Task.WhenAll(calls);
        calls.Clear();

        foreach (var s in Except(after.Streams, before.Streams))
        {
            calls.Add(Stream(grains, room, s.StreamId).PublishAsync(
                new PublishRequest(s.PublisherIdentity, s.StreamId, s.Kind, s.Codec, s.Ssrcs, s.OriginSilo), s.PublishedAt));
            calls.Add(Participant(grains, room, s.PublisherIdentity).AddPublishedAsync(s.StreamId));
        }
        await Task.WhenAll(calls);
        calls.Clear();

        foreach (var sub in Except(after.Subscriptions, before.Subscriptions))
        {
            calls.Add(Stream(grains, room, sub.StreamId).AddSubscriberAsync(sub.SubscriberIdentity, sub.SubscribedAt));
            calls.Add(Participant(grains, room, sub.SubscriberIdentity).AddSubscriptionAsync(sub.StreamId));
        }
        await Task.WhenAll(calls);
    }

    private static IEnumerable<T> Except<T>(IEnumerable<T> items, IEnumerable<T> remove)
    {
        var set = remove.ToHashSet();
        return items.Where(i => !set.Contains(i));
    }

    private static IParticipantGrain Participant(IGrainFactory grains, string room, string identity) =>
        grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(room, identity));

    private static IStreamGrain Stream(IGrainFactory grains, string room, string streamId) =>
        grains.GetGrain<IStreamGrain>(RoomIds.StreamKey(room, streamId));
}
