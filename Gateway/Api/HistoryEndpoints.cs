using Grains.Interfaces.Rooms;
using Gateway.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api;

/// <summary>/v1/rooms/{roomId}/events and /state: the room's log and its state at a moment.</summary>
public static class HistoryEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/rooms/{roomId}/events", EventsAsync).WithName("GetRoomEvents")
            .Produces<RoomEventPageDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        v1.MapGet("/rooms/{roomId}/state", StateAsync).WithName("GetRoomState")
            .Produces<RoomStateDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }

    public static async Task<IResult> EventsAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string? after, string? limit)
    {
        long afterSequence = RequestInput.AfterSequence(after);
        int pageSize = RequestInput.Limit(limit);
        var (id, room, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Member, RoomAccess.NotMember);
        var page = await room.GetEventsAsync(afterSequence, pageSize);
        return TypedResults.Ok(page.ToDto(id));
    }

    /// <summary>Without <c>at</c>: the live state. With it: the state rebuilt from the log at that moment.</summary>
    public static async Task<IResult> StateAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string? at)
    {
        var moment = RequestInput.Timestamp(at, "at");
        var (id, room, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Member, RoomAccess.NotMember);
        // A replay reads the whole log up to the moment: done by a stateless worker, not on the room's turn.
        var snapshot = moment is { } m
            ? await grains.GetGrain<IRoomHistoryGrain>(IRoomHistoryGrain.Key).GetStateAtAsync(id, m)
            : await room.GetSnapshotAsync();
        return TypedResults.Ok(snapshot.ToDto());
    }
}
