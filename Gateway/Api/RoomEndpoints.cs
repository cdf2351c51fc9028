using System.Security.Cryptography;
using Gateway.Auth;
using Microsoft.AspNetCore.Mvc;
using Grains.Interfaces.Rooms;

namespace Gateway.Api;

/// <summary>/v1/rooms: create, list, get, close.</summary>
public static class RoomEndpoints
{
    /// <summary>Longest empty timeout accepted (30 days); longer is almost certainly a unit mistake.</summary>
    public const int MaxEmptyTimeoutSeconds = 30 * 24 * 3600;

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/rooms", CreateAsync).WithName("CreateRoom")
            .AcceptsJson<CreateRoomRequest>()
            .Produces<RoomDto>(StatusCodes.Status201Created).Produces<RoomDto>()
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);
        v1.MapGet("/rooms", ListAsync).WithName("ListRooms")
            .Produces<RoomListDto>().ProducesProblem(400).ProducesProblem(403);
        v1.MapGet("/rooms/{roomId}", GetAsync).WithName("GetRoom")
            .Produces<RoomDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        v1.MapDelete("/rooms/{roomId}", CloseAsync).WithName("CloseRoom")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }

    public static async Task<IResult> CreateAsync(HttpContext http, [FromServices] IGrainFactory grains)
    {
        var caller = http.Caller();
        if (!caller.IsAdmin)
            throw ApiProblem.Forbidden("Creating rooms needs the admin grant.");
        var body = await RequestInput.ReadJsonAsync(http, GatewayJsonContext.Default.CreateRoomRequest, new CreateRoomRequest());

        // Without an id: a token for one room creates that room; a token for any room gets a fresh id.
        string roomId = RequestInput.RequireId(body.RoomId ?? (caller.Room == AccessTokenIssuer.AnyRoom ? NewRoomId() : caller.Room), "room id");
        if (!caller.CoversRoom(roomId))
            throw ApiProblem.Forbidden("The token is for another room.");
        var options = ToOptions(body);

        var room = grains.GetGrain<IRoomGrain>(roomId);
        var before = await room.GetAsync();
        var info = await room.CreateAsync(options);
        // Creating an open room again with the same options is idempotent: 200 with the room.
        return before is { Status: RoomStatus.Open }
            ? TypedResults.Ok(info.ToDto())
            : TypedResults.Created($"/v1/rooms/{Uri.EscapeDataString(roomId)}", info.ToDto());
    }

    public static async Task<IResult> ListAsync(HttpContext http, [FromServices] IGrainFactory grains, string? after, string? limit, string? includeClosed)
    {
        var caller = http.Caller();
        if (!caller.IsAdmin)
            throw ApiProblem.Forbidden("Listing rooms needs the admin grant.");
        string afterId = after is null ? "" : RequestInput.RequireId(after, "after (room id cursor)");
        int pageSize = RequestInput.Limit(limit);
        bool closedToo = RequestInput.Flag(includeClosed, "includeClosed");

        if (caller.Room != AccessTokenIssuer.AnyRoom)
        {
            // An admin of one room sees that room only.
            var own = string.CompareOrdinal(caller.Room, afterId) > 0 ? await grains.GetGrain<IRoomGrain>(caller.Room).GetAsync() : null;
            bool show = own is not null && (own.Status == RoomStatus.Open || (closedToo && own.Status == RoomStatus.Closed));
            return TypedResults.Ok(new RoomListDto(show ? [own!.ToDto()] : [], null));
        }

        var ids = await grains.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).ListAsync(afterId, pageSize, closedToo);
        var infos = await Task.WhenAll(ids.Select(id => grains.GetGrain<IRoomGrain>(id).GetAsync()));
        var rooms = infos.Where(i => i is not null && i.Status != RoomStatus.None).Select(i => i!.ToDto()).ToArray();
        // A full page may have more after it; the cursor is the last id the directory returned.
        return TypedResults.Ok(new RoomListDto(rooms, ids.Length == pageSize ? ids[^1] : null));
    }

    public static async Task<IResult> GetAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId)
    {
        var (_, _, info) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Member, RoomAccess.NotMember);
        return TypedResults.Ok(info.ToDto());
    }

    public static async Task<IResult> CloseAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string? reason)
    {
        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Admin, RoomAccess.NotAdmin);
        await room.CloseAsync(RoomAccess.RequireText(reason, "reason", RoomAccess.MaxReasonLength) ?? "closed by admin");
        return TypedResults.NoContent();
    }

    private static RoomOptions ToOptions(CreateRoomRequest body)
    {
        if (body.MaxParticipants < 0 || body.MaxPublishers < 0)
            throw ApiProblem.BadRequest("maxParticipants and maxPublishers must be 0 (no limit) or more.");
        if (body.EmptyTimeoutSeconds is < 0 or > MaxEmptyTimeoutSeconds)
            throw ApiProblem.BadRequest($"emptyTimeoutSeconds must be from 0 (never) to {MaxEmptyTimeoutSeconds}.");
        if (body.KickBanSeconds is < 0 or > MaxEmptyTimeoutSeconds)
            throw ApiProblem.BadRequest($"kickBanSeconds must be from 0 (rejoin at once) to {MaxEmptyTimeoutSeconds}.");
        RoomAccess.RequireText(body.Metadata, "metadata", RoomAccess.MaxMetadataLength);
        return new RoomOptions
        {
            MaxParticipants = body.MaxParticipants ?? 0,
            MaxPublishers = body.MaxPublishers ?? 0,
            EmptyTimeout = body.EmptyTimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : RoomOptions.Default.EmptyTimeout,
            Metadata = body.Metadata ?? "",
            KickBan = body.KickBanSeconds is { } ban ? TimeSpan.FromSeconds(ban) : RoomOptions.Default.KickBan,
        };
    }

    private static string NewRoomId() => "room-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
