using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;

namespace Gateway.WebRtc;

/// <summary>Undoes a half-made session when a later step fails, so a refused offer leaves the room as it was.</summary>
internal static class WebRtcSessionCleanup
{
    public static async Task UndoPublishAsync(IGrainFactory grains, IRoomGrain room, string roomId, string identity, IEnumerable<string> streamIds, ILogger logger)
    {
        try
        {
            foreach (var streamId in streamIds)
                await room.UnpublishAsync(streamId);
            await LeaveIfIdleAsync(grains, room, roomId, identity);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Undoing a failed WHIP session in room {RoomId} failed", roomId);
        }
    }

    public static async Task UndoSubscribeAsync(IGrainFactory grains, IRoomGrain room, string roomId, string identity, IEnumerable<string> streamIds, ILogger logger)
    {
        try
        {
            foreach (var streamId in streamIds)
                await room.UnsubscribeAsync(identity, streamId);
            await LeaveIfIdleAsync(grains, room, roomId, identity);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Undoing a failed WHEP session in room {RoomId} failed", roomId);
        }
    }

    private static async Task LeaveIfIdleAsync(IGrainFactory grains, IRoomGrain room, string roomId, string identity)
    {
        var participant = grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(roomId, identity));
        if ((await participant.GetPublishedAsync()).IsEmpty && (await participant.GetSubscriptionsAsync()).IsEmpty)
            await room.LeaveAsync(identity);
    }
}
