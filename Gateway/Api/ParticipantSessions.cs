using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;

namespace Gateway.Api;

/// <summary>Participants with their open WHIP/WHEP sessions: id, kind, node, and the node's region.</summary>
public static class ParticipantSessions
{
    public static async Task<ParticipantDto[]> WithSessionsAsync(IGrainFactory grains, ImmutableArray<ParticipantInfo> participants)
    {
        var nodes = await grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).GetLiveNodesAsync();
        var regions = nodes.ToDictionary(n => n.NodeId, n => n.Region, StringComparer.Ordinal);
        return await Task.WhenAll(participants.Select(async p => p.ToDto() with { Sessions = await SessionsAsync(grains, p, regions) }));
    }

    private static async Task<IReadOnlyList<ParticipantSessionDto>> SessionsAsync(IGrainFactory grains, ParticipantInfo p, Dictionary<string, string> regions)
    {
        var ids = await grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(p.RoomId, p.Identity)).GetSessionsAsync();
        var sessions = await Task.WhenAll(ids.Select(id => grains.GetGrain<IClientSessionGrain>(id).GetAsync()));
        return await Task.WhenAll(sessions
            .Where(s => s is not null && s.Status != ClientSessionStatus.Closed)
            .Select(async s => new ParticipantSessionDto(s!.SessionId, ApiMapping.Word(s.Kind), ApiMapping.Word(s.Status), s.NodeId,
                regions.TryGetValue(s.NodeId, out var region) ? region : null,
                s.Kind == ClientSessionKind.Subscribe && regions.ContainsKey(s.NodeId) ? await SubscriptionsAsync(grains, s) : null)));
    }

    /// <summary>What the session's node forwards to it now (the layer of each simulcast stream); null if the node does not answer.</summary>
    private static async Task<IReadOnlyList<SessionSubscriptionDto>?> SubscriptionsAsync(IGrainFactory grains, ClientSessionInfo session)
    {
        try
        {
            var subscriptions = await grains.GetGrain<IMediaNodeGrain>(session.NodeId).GetSubscriptionsAsync(session.SessionId);
            return subscriptions.Select(s => new SessionSubscriptionDto(s.StreamId, s.Rid, s.RequestedRid,
                s.Layers.IsDefaultOrEmpty ? null : s.Layers.Select(l => new SimulcastLayerDto(l.Rid, l.BitsPerSecond)).ToArray())).ToArray();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // a node going away: the listing still answers
        }
    }
}
