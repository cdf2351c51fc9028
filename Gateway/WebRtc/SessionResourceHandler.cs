using Gateway.Api;
using Gateway.Auth;
using Grains.Interfaces.Media;

namespace Gateway.WebRtc;

/// <summary>
/// The session resource a WHIP/WHEP POST created (its Location): DELETE ends it (RFC 9725 §4.2);
/// PATCH takes trickled candidates (§4.3.1), which an ICE-lite server on one port needs not use: it
/// learns the client's address from its STUN checks.
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
        var (_, session) = await RequireOwnedAsync(http, roomId, sessionId, kind);
        // RFC 9725 §4.3.1: a PATCH must match the ICE session it is meant for.
        string ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != session.ETag)
            throw new ApiProblem(StatusCodes.Status412PreconditionFailed, "If-Match does not match this session's ICE entity tag.");
        var fragment = await SdpBody.ReadAsync(http.Request, SdpBody.TrickleIceMediaType);
        if (ifMatch == "*" || fragment.Contains("a=ice-ufrag:", StringComparison.Ordinal))
        {
            // ICE restart (§4.4.1) would need new credentials on the media node; clients start a new session instead.
            throw new ApiProblem(StatusCodes.Status501NotImplemented, "ICE restart is not supported; DELETE this session and POST a new offer.");
        }
        http.Response.Headers.ETag = session.ETag;
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
