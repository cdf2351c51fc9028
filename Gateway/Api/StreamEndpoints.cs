using System.Collections.Immutable;
using System.Security.Cryptography;
using Gateway.Auth;
using Grains.Interfaces.Streams;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api;

/// <summary>/v1/rooms/{roomId}/streams: list, publish, unpublish, subscribe, unsubscribe.</summary>
public static class StreamEndpoints
{
    public const int MaxSsrcs = 16;
    public const int MaxCodecLength = 64;

    /// <summary>Streams published through REST have no media session yet, so no silo is their origin.</summary>
    public const string NoOrigin = "";

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/rooms/{roomId}/streams", ListAsync).WithName("ListStreams")
            .Produces<StreamListDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        v1.MapPost("/rooms/{roomId}/streams", PublishAsync).WithName("PublishStream")
            .AcceptsJson<PublishStreamRequest>()
            .Produces<StreamDto>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);
        v1.MapDelete("/rooms/{roomId}/streams/{streamId}", UnpublishAsync).WithName("UnpublishStream")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        v1.MapPost("/rooms/{roomId}/streams/{streamId}/subscribers", SubscribeAsync).WithName("Subscribe")
            .Produces<SubscriptionDto>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        v1.MapDelete("/rooms/{roomId}/streams/{streamId}/subscribers", UnsubscribeAsync).WithName("Unsubscribe")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }

    public static async Task<IResult> ListAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId)
    {
        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Member, RoomAccess.NotMember);
        var streams = await room.GetStreamsAsync();
        return TypedResults.Ok(new StreamListDto(streams.Select(s => s.ToDto()).ToArray()));
    }

    public static async Task<IResult> PublishAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId)
    {
        var caller = http.Caller();
        string id = RequestInput.RequireId(roomId, "room id");
        bool admin = caller.IsAdminOf(id);
        if (!admin && !(caller.CoversRoom(id) && caller.Has(Grants.Publish)))
            throw ApiProblem.Forbidden("Publishing needs the publish grant for this room.");
        var body = await RequestInput.ReadJsonAsync(http, GatewayJsonContext.Default.PublishStreamRequest, new PublishStreamRequest());

        string publisher = RequestInput.RequireId(body.Identity ?? caller.Identity, "identity");
        if (publisher != caller.Identity && !admin)
            throw ApiProblem.Forbidden("Only an admin may publish as another identity.");
        if (!ApiMapping.TryParseKind(body.Kind, out var kind))
            throw ApiProblem.BadRequest("kind must be \"audio\" or \"video\".");
        string codec = RequireCodec(body.Codec);
        var ssrcs = RequireSsrcs(body.Ssrcs);
        string streamId = RequestInput.RequireId(body.StreamId ?? NewStreamId(), "stream id");

        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, caller, id, RoomAccess.InScope, RoomAccess.NotMember);
        var stream = await room.PublishAsync(new PublishRequest(publisher, streamId, kind, codec, ssrcs, NoOrigin));
        return TypedResults.Created((string?)null, stream.ToDto());
    }

    public static async Task<IResult> UnpublishAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string streamId)
    {
        var caller = http.Caller();
        string sid = RequestInput.RequireId(streamId, "stream id");
        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, caller, roomId,
            (c, r) => c.IsAdminOf(r) || (c.CoversRoom(r) && c.Has(Grants.Publish)),
            "Unpublishing needs the publish grant for this room.");
        if (!caller.IsAdminOf(room.GetPrimaryKeyString()))
        {
            // Publishers may end only their own streams.
            var streams = await room.GetStreamsAsync();
            var stream = streams.FirstOrDefault(s => s.StreamId == sid)
                ?? throw ApiProblem.NotFound($"Stream '{sid}' is not published in this room.");
            if (stream.PublisherIdentity != caller.Identity)
                throw ApiProblem.Forbidden("Only the publisher or an admin may unpublish this stream.");
        }
        await room.UnpublishAsync(sid);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> SubscribeAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string streamId)
    {
        var caller = http.Caller();
        string sid = RequestInput.RequireId(streamId, "stream id");
        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, caller, roomId, CanSubscribe, "Subscribing needs the subscribe grant for this room.");
        var subscription = await room.SubscribeAsync(caller.Identity, sid);
        return TypedResults.Created((string?)null, subscription.ToDto());
    }

    public static async Task<IResult> UnsubscribeAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string streamId)
    {
        var caller = http.Caller();
        string sid = RequestInput.RequireId(streamId, "stream id");
        var (_, room, _) = await RoomAccess.RequireRoomAsync(grains, caller, roomId, CanSubscribe, "Unsubscribing needs the subscribe grant for this room.");
        await room.UnsubscribeAsync(caller.Identity, sid);
        return TypedResults.NoContent();
    }

    private static bool CanSubscribe(Caller c, string roomId) => c.IsAdminOf(roomId) || (c.CoversRoom(roomId) && c.Has(Grants.Subscribe));

    private static string RequireCodec(string? codec)
    {
        // Codec names are MIME subtypes ("VP8", "opus", "H264"); keep them to printable ASCII without spaces.
        if (string.IsNullOrEmpty(codec) || codec.Length > MaxCodecLength || codec.Any(c => c <= ' ' || c > '~'))
            throw ApiProblem.BadRequest($"codec must be 1-{MaxCodecLength} printable ASCII characters without spaces.");
        return codec;
    }

    private static ImmutableArray<uint> RequireSsrcs(uint[]? ssrcs)
    {
        if (ssrcs is null || ssrcs.Length == 0 || ssrcs.Length > MaxSsrcs)
            throw ApiProblem.BadRequest($"ssrcs must list 1-{MaxSsrcs} SSRCs.");
        if (ssrcs.Distinct().Count() != ssrcs.Length)
            throw ApiProblem.BadRequest("ssrcs must not repeat.");
        return [.. ssrcs];
    }

    private static string NewStreamId() => "stream-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
