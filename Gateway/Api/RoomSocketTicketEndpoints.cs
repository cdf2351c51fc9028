using Gateway.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api;

/// <summary>
/// POST /v1/rooms/{roomId}/events/ws-ticket: trades the Bearer token for a short-lived, single-use ticket that opens
/// the room's WebSocket (<c>GET .../events/ws?ticket=</c>), so that no token travels in a URL.
/// </summary>
public static class RoomSocketTicketEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/rooms/{roomId}/events/ws-ticket", IssueAsync).WithName("CreateRoomSocketTicket")
            .Produces<RoomSocketTicketDto>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
    }

    public static async Task<IResult> IssueAsync(HttpContext http, [FromServices] IGrainFactory grains, [FromServices] RoomSocketTickets tickets, string roomId)
    {
        var (id, _, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Member, RoomAccess.NotMember);
        var (ticket, expiresAt) = tickets.Issue(http.Caller(), id);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RoomSocketTicketDto(ticket, expiresAt));
    }
}
