using Gateway.Api;
using Gateway.Auth;
using Grains.Interfaces.Media;

namespace Gateway.WebRtc;

/// <summary>
/// The session resource a WHIP/WHEP POST created (its Location): DELETE ends it (RFC 9725 §4.2);
/// PATCH takes trickled candidates (§4.3.1), which an ICE-lite server on one port needs not use: it
/// learns the client's address from its STUN checks; a PATCH with new ICE credentials restarts ICE
/// (§4.3.2): the node gives the session new credentials, DTLS and SRTP carry on.
/// </summary>
public sealed class SessionResourceHandler(IGrainFactory grains)
{
    public async Task<IResult> DeleteAsync(HttpContext http, string roomId, string sessionId, ClientSessionKind kind)
    {
        var (grain, _) = await RequireOwnedAsync(http, roomId, sessionId, kind);
        await grain.CloseAsync("deleted by the client", closedByNode: false);
        return Results.Ok();
    }

    public async Task<IResult> PatchAsync(HttpContext http, string roomId, string sessionId, ClientSessionKind kind)
    {
        var (grain, session) = await RequireOwnedAsync(http, roomId, sessionId, kind);
        // RFC 9725 §4.3.1: a PATCH must match the ICE session it is meant for.
        string ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != session.ETag)
            throw new ApiProblem(StatusCodes.Status412PreconditionFailed, "If-Match does not match this session's ICE entity tag.");
        var fragment = await SdpBody.ReadAsync(http.Request, SdpBody.TrickleIceMediaType);
        if (!IceRestartFragment.IsRestart(fragment))
        {
            // Trickled candidates: the ICE-lite server learns the client's address from its checks instead.
            http.Response.Headers.ETag = session.ETag;
            return Results.NoContent();
        }
        // §4.3.2: a restart carries If-Match: * (the client may not know the current tag any more).
        if (ifMatch.Length == 0)
            throw new ApiProblem(StatusCodes.Status428PreconditionRequired, "An ICE restart PATCH must carry If-Match: *.");
        if (!IceRestartFragment.TryParse(fragment, out var restart, out var error))
            throw new ApiProblem(StatusCodes.Status400BadRequest, $"malformed ICE restart fragment: {error}", "MalformedSdp");
        string etag = SessionIds.NewETag();
        MediaSessionGrant? grant;
        try
        {
            grant = await grain.RestartIceAsync(restart!.Ufrag, etag, restart.Password);
        }
        catch (MediaNodeException e)
        {
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
        if (grant is null)
            throw ApiProblem.NotFound("The session is no longer open on its media node.");
        http.Response.Headers.ETag = etag;
        return Results.Text(restart.WriteAnswer(grant.IceUfrag, grant.IcePassword, grant.Address, grant.Port), SdpBody.TrickleIceMediaType, statusCode: StatusCodes.Status200OK);
    }

    /// <summary>
    /// POST /whep/{room}/{session}/layer?rid=X: the session's simulcast subscriptions forward layer X (no rid: the
    /// highest) from its next keyframe. 204, or 404 when no subscription of the session has such a layer.
    /// </summary>
    public async Task<IResult> RequestLayerAsync(HttpContext http, string roomId, string sessionId)
    {
        string? rid = SimulcastQuery.Rid(http);
        var (_, session) = await RequireOwnedAsync(http, roomId, sessionId, ClientSessionKind.Subscribe);
        int changed = await grains.GetGrain<IMediaNodeGrain>(session.NodeId).RequestLayerAsync(sessionId, rid);
        if (changed == 0)
            throw ApiProblem.NotFound(rid is null ? "The session subscribes to no simulcast stream." : $"No simulcast stream of the session has the layer '{rid}'.");
        return Results.NoContent();
    }

    private async Task<(IClientSessionGrain Grain, ClientSessionInfo Session)> RequireOwnedAsync(HttpContext http, string roomId, string sessionId, ClientSessionKind kind)
    {
        var caller = http.Caller();
        RequestInput.RequireId(roomId, "room id");
        if (sessionId.Length is 0 or > 64 || !sessionId.All(char.IsAsciiHexDigitLower))
            throw ApiProblem.NotFound("No such session.");
        var grain = grains.GetGrain<IClientSessionGrain>(sessionId);
        var session = await grain.GetAsync();
        if (session is null || session.RoomId != roomId || session.Kind != kind || session.Status == ClientSessionStatus.Closed)
            throw ApiProblem.NotFound("No such session.");
        if (session.Identity != caller.Identity && !caller.IsAdminOf(roomId))
            throw ApiProblem.Forbidden("Only the session's owner or a room admin may change it.");
        return (grain, session);
    }
}
