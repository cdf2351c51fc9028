using Gateway.Api;
using Gateway.Auth;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;

namespace Gateway.WebRtc;

/// <summary>What WHIP and WHEP share: the room (created on first publish), and the caller's participant.</summary>
internal static class RoomMembership
{
    /// <summary>The room; a publisher's first WHIP creates it with default options, a subscriber needs it to exist.</summary>
    public static async Task<IRoomGrain> RequireRoomAsync(IGrainFactory grains, string roomId, bool createIfMissing)
    {
        var room = grains.GetGrain<IRoomGrain>(roomId);
        var info = await room.GetAsync();
        if (info is null || info.Status == RoomStatus.None)
        {
            if (!createIfMissing)
                throw ApiProblem.NotFound($"Room '{roomId}' does not exist.");
            info = await room.CreateAsync(RoomOptions.Default);
        }
        if (info.Status == RoomStatus.Closed)
            throw ApiProblem.Conflict($"Room '{roomId}' is closed.");
        return room;
    }

    /// <summary>Joins the caller unless already present; permissions come from the token's grants.</summary>
    public static async Task EnsureJoinedAsync(IGrainFactory grains, IRoomGrain room, string roomId, Caller caller)
    {
        var participant = grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(roomId, caller.Identity));
        if (await participant.GetAsync() is not null)
            return;
        var permissions = (caller.Has(Grants.Publish) || caller.IsAdmin ? ParticipantPermissions.Publish : 0)
            | (caller.Has(Grants.Subscribe) || caller.IsAdmin ? ParticipantPermissions.Subscribe : 0);
        try
        {
            await room.JoinAsync(new JoinRequest(caller.Identity, permissions, OverrideBan: caller.IsAdminOf(roomId)));
        }
        catch (RoomException e) when (e.Code == RoomErrorCode.Conflict)
        {
            // Joined concurrently by the same client's other connection.
        }
    }
}
