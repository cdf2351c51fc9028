using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Grains.Rooms;

/// <summary>
/// Re-syncs the participant and stream views with the room's state from its log, for the changes
/// <see cref="RoomViewSync"/> could not pass on (a crash or a failed call after the room's commit). Each view of a
/// participant or stream in the room is read and corrected: a missing view is created, missing or extra streams,
/// subscriptions and subscribers are added or removed. A view that is right costs one or two reads. Views of
/// participants and streams no longer in the room are not found here (the room does not list them); their next
/// join or publish resets them.
/// </summary>
internal static class RoomViewRepair
{
    public static async Task<int> RepairAsync(IGrainFactory grains, RoomSnapshot s)
    {
        var fixes = await Task.WhenAll(s.Participants.Select(p => RepairParticipantAsync(grains, s, p))
            .Concat(s.Streams.Select(stream => RepairStreamAsync(grains, s, stream))));
        return fixes.Sum();
    }

    private static async Task<int> RepairParticipantAsync(IGrainFactory grains, RoomSnapshot s, ParticipantInfo p)
    {
        var view = grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(s.RoomId, p.Identity));
        int fixes = 0;
        if (await view.GetAsync() is null)
        {
            await view.JoinAsync(new JoinRequest(p.Identity, p.Permissions, p.Metadata), p.JoinedAt);
            fixes++;
        }
        var published = s.Streams.Where(x => x.PublisherIdentity == p.Identity).Select(x => x.StreamId).ToHashSet(StringComparer.Ordinal);
        var seenPublished = (await view.GetPublishedAsync()).ToHashSet(StringComparer.Ordinal);
        foreach (var id in published.Except(seenPublished))
            await view.AddPublishedAsync(id);
        foreach (var id in seenPublished.Except(published))
            await view.RemovePublishedAsync(id);
        var subscribed = s.Subscriptions.Where(x => x.SubscriberIdentity == p.Identity).Select(x => x.StreamId).ToHashSet(StringComparer.Ordinal);
        var seenSubscribed = (await view.GetSubscriptionsAsync()).ToHashSet(StringComparer.Ordinal);
        foreach (var id in subscribed.Except(seenSubscribed))
            await view.AddSubscriptionAsync(id);
        foreach (var id in seenSubscribed.Except(subscribed))
            await view.RemoveSubscriptionAsync(id);
        return fixes + published.Count + seenPublished.Count - 2 * published.Intersect(seenPublished).Count()
            + subscribed.Count + seenSubscribed.Count - 2 * subscribed.Intersect(seenSubscribed).Count();
    }

    private static async Task<int> RepairStreamAsync(IGrainFactory grains, RoomSnapshot s, StreamInfo stream)
    {
        var view = grains.GetGrain<IStreamGrain>(RoomIds.StreamKey(s.RoomId, stream.StreamId));
        int fixes = 0;
        if (await view.GetAsync() is null)
        {
            await view.PublishAsync(new PublishRequest(stream.PublisherIdentity, stream.StreamId, stream.Kind, stream.Codec, stream.Ssrcs, stream.OriginSilo),
                stream.PublishedAt);
            fixes++;
        }
        var subscribers = s.Subscriptions.Where(x => x.StreamId == stream.StreamId).ToDictionary(x => x.SubscriberIdentity, StringComparer.Ordinal);
        var seen = (await view.GetSubscribersAsync()).Select(x => x.SubscriberIdentity).ToHashSet(StringComparer.Ordinal);
        foreach (var (identity, sub) in subscribers.Where(x => !seen.Contains(x.Key)))
        {
            await view.AddSubscriberAsync(identity, sub.SubscribedAt);
            fixes++;
        }
        foreach (var identity in seen.Where(x => !subscribers.ContainsKey(x)))
        {
            await view.RemoveSubscriberAsync(identity);
            fixes++;
        }
        return fixes;
    }
}
