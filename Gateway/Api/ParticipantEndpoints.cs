using Gateway.Auth;
using Grains.Interfaces.Participants;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api;

/// <summary>/v1/rooms/{roomId}/participants: list, join, leave or kick.</summary>
public static class ParticipantEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/rooms/{roomId}/participants", ListAsync).WithName("ListParticipants")
            .Produces<ParticipantListDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        v1.MapPost("/rooms/{roomId}/participants", JoinAsync).WithName("JoinRoom")
            .AcceptsJson<JoinRoomRequest>()
            .Produces<ParticipantDto>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);
        v1.MapDelete("/rooms/{roomId}/participants/{identity}", RemoveAsync).WithName("LeaveOrKick")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        v1.MapDelete("/rooms/{roomId}/bans/{identity}", UnbanAsync).WithName("Unban")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }

    public static async Task<IResult> ListAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId)
    {
        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Member, RoomAccess.NotMember);
        var participants = await room.GetParticipantsAsync();
        return TypedResults.Ok(new ParticipantListDto(await ParticipantSessions.WithSessionsAsync(grains, participants)));
    }

    public static async Task<IResult> JoinAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId)
    {
        var caller = http.Caller();
        string id = RequestInput.RequireId(roomId, "room id");
        if (!caller.CoversRoom(id))
            throw ApiProblem.Forbidden(RoomAccess.NotMember);
        var body = await RequestInput.ReadJsonAsync(http, GatewayJsonContext.Default.JoinRoomRequest, new JoinRoomRequest());
        bool admin = caller.IsAdminOf(id);

        string identity = RequestInput.RequireId(body.Identity ?? caller.Identity, "identity");
        if (identity != caller.Identity && !admin)
            throw ApiProblem.Forbidden("Only an admin may join the room as another identity.");
        var permissions = Permissions(caller, admin, body);
        RoomAccess.RequireText(body.Metadata, "metadata", RoomAccess.MaxMetadataLength);

        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, caller, id, RoomAccess.InScope, RoomAccess.NotMember);
        var joined = await room.JoinAsync(new JoinRequest(identity, permissions, body.Metadata ?? "", OverrideBan: admin));
        return TypedResults.Created((string?)null, joined.ToDto());
    }

    /// <summary>
    /// DELETE for oneself is leaving; for someone else it is a kick and needs admin. Leaving is
    /// idempotent (204 even when not present), as the room grain defines it.
    /// </summary>
    public static async Task<IResult> RemoveAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string identity, string? reason)
    {
        var caller = http.Caller();
        string who = RequestInput.RequireId(identity, "identity");
        RoomAccess.RequireText(reason, "reason", RoomAccess.MaxReasonLength);
        bool self = who == caller.Identity;
        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, caller, roomId,
            self ? RoomAccess.Member : RoomAccess.Admin,
            self ? RoomAccess.NotMember : "Removing another participant needs the admin grant for this room.");
        if (self)
            await room.LeaveAsync(who);
        else
            await room.KickAsync(who, reason ?? "kicked by admin");
        return TypedResults.NoContent();
    }

    /// <summary>Lets a kicked identity join again before its ban (the room's kickBanSeconds) runs out. Admin only; idempotent.</summary>
    public static async Task<IResult> UnbanAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string identity)
    {
        string who = RequestInput.RequireId(identity, "identity");
        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Admin, RoomAccess.NotAdmin);
        await room.UnbanAsync(who);
        return TypedResults.NoContent();
    }

    /// <summary>Admins choose freely (default both). Others get what the token grants, and may ask for less.</summary>
    private static ParticipantPermissions Permissions(Caller caller, bool admin, JoinRoomRequest body)
    {
        bool canPublish = admin || caller.Has(Grants.Publish);
        bool canSubscribe = admin || caller.Has(Grants.Subscribe);
        if (!canPublish && !canSubscribe)
            throw ApiProblem.Forbidden("Joining needs the publish or subscribe grant.");
        bool publish = body.Publish ?? canPublish;
        bool subscribe = body.Subscribe ?? canSubscribe;
        if ((publish && !canPublish) || (subscribe && !canSubscribe))
            throw ApiProblem.Forbidden("The requested permissions exceed the token's grants.");
        return (publish ? ParticipantPermissions.Publish : 0) | (subscribe ? ParticipantPermissions.Subscribe : 0);
    }
}
