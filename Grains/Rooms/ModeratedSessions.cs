using Grains.Interfaces.Events;
using Grains.Interfaces.Media;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;

namespace Grains.Rooms;

/// <summary>
/// Moderation stops media: a participant who leaves or is kicked, an unpublished stream (its publishing session and
/// every viewer's session on it) and a closed room end the WHIP/WHEP sessions concerned (each session grain closes its media on the node and undoes the rest in the room).
/// </summary>
/// <remarks>
/// The sessions are found before the participant views forget them (a participant view that leaves drops its
/// session list), and told after the room's commit with one-way calls: a session's clean-up calls back into the
/// room, which must not be waiting for it. A session that already closed ignores the call.
/// </remarks>
internal static class ModeratedSessions
{
    /// <summary>A session to end; with a stream id, only if the session publishes or views that stream.</summary>
    public readonly record struct Ending(string SessionId, string Reason, string? OnlyIfCarrying);

    public static async Task<List<Ending>> FindAsync(IGrainFactory grains, RoomSnapshot before, IEnumerable<RoomEvent> events)
    {
        var endings = new List<Ending>();
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case RoomEventType.Kicked or RoomEventType.Left when e.Identity is { } identity:
                    await AddSessionsAsync(grains, before.RoomId, identity, Reason(e), null, endings);
                    break;
                case RoomEventType.Unpublished when before.Streams.FirstOrDefault(s => s.StreamId == e.StreamId) is { } stream:
                    // The publisher's session and the viewers' WHEP sessions on the track: left open, a viewer would
                    // keep a session on a track that never sends again.
                    foreach (var p in before.Participants)
                        await AddSessionsAsync(grains, before.RoomId, p.Identity, "stream unpublished", stream.StreamId, endings);
                    if (before.Participants.All(p => p.Identity != stream.PublisherIdentity))
                        await AddSessionsAsync(grains, before.RoomId, stream.PublisherIdentity, "stream unpublished", stream.StreamId, endings);
                    break;
                case RoomEventType.Closed:
                    foreach (var p in before.Participants)
                        await AddSessionsAsync(grains, before.RoomId, p.Identity, Reason(e), null, endings);
                    break;
            }
        }
        return endings;
    }

    /// <summary>One-way: returns once the calls are sent.</summary>
    public static void End(IGrainFactory grains, List<Ending> endings)
    {
        foreach (var (sessionId, reason, streamId) in endings)
            _ = grains.GetGrain<IClientSessionGrain>(sessionId).EndAsync(reason, streamId);
    }

    private static async Task AddSessionsAsync(IGrainFactory grains, string roomId, string identity, string reason, string? streamId, List<Ending> endings)
    {
        var sessions = await grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(roomId, identity)).GetSessionsAsync();
        foreach (var id in sessions)
            endings.Add(new Ending(id, reason, streamId));
    }

    private static string Reason(RoomEvent e) => e.Type switch
    {
        RoomEventType.Kicked => string.IsNullOrEmpty(e.Reason) ? "kicked" : $"kicked: {e.Reason}",
        RoomEventType.Closed => string.IsNullOrEmpty(e.Reason) ? "room closed" : $"room closed: {e.Reason}",
        _ => "left the room",
    };
}
