using Gateway.Api;
using Gateway.Auth;
using Gateway.NodeSelection;
using Grains.Interfaces.Limits;
using Grains.Interfaces.Rooms;
using Microsoft.Extensions.Options;

namespace Gateway.WebRtc;

/// <summary>
/// The WHIP/WHEP limits (<see cref="SessionLimitsOptions"/>), each one call from the offer's flow: the offer's
/// track count, whether the caller may create the room, and the session quotas (counted by
/// <see cref="IRoomSessionQuotaGrain"/>, released by the session grain as it closes). Refusals are problems:
/// 400 for too many tracks, 404 for a room a token may not create, 429 with Retry-After for a full quota.
/// </summary>
public static class SessionAdmission
{
    /// <summary>Counts the offer's m= lines (RFC 8866 §5.14) before it is negotiated, so a large offer costs nothing more.</summary>
    public static void CheckTracks(HttpContext http, string sdp)
    {
        int limit = Options(http).TracksPerSession;
        int sections = 0;
        foreach (var line in sdp.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("m="))
                sections++;
        }
        if (limit > 0 && sections > limit)
            throw ApiProblem.BadRequest($"The offer has {sections} media sections; at most {limit} per session (Limits:TracksPerSession).");
    }

    /// <summary>
    /// A WHIP offer creates a missing room only for an admin of it or, with Limits:WhipCreatesNamedRoom, a token that
    /// names that room; anyone else's offer to a missing room is a 404 (one token cannot create rooms without bound).
    /// </summary>
    public static async Task RequireRoomUnlessCreatorAsync(HttpContext http, IGrainFactory grains, Caller caller, string roomId)
    {
        if (caller.IsAdminOf(roomId) || (Options(http).WhipCreatesNamedRoom && caller.Room == roomId))
            return;
        var info = await grains.GetGrain<IRoomGrain>(roomId).GetAsync();
        if (info is null || info.Status == RoomStatus.None)
            throw ApiProblem.NotFound($"Room '{roomId}' does not exist. Only an admin token, or a token naming this room, creates rooms through WHIP.");
    }

    public static async Task AdmitAsync(HttpContext http, IGrainFactory grains, string roomId, string identity, string sessionId)
    {
        var o = Options(http);
        if (o.SessionsPerParticipant <= 0 && o.SessionsPerRoom <= 0 && o.SessionsPerClientAddress <= 0)
            return;
        string? address = http.RequestServices.GetRequiredService<NodeSelectionPolicy>().Addresses.Resolve(http)?.ToString();
        try
        {
            await grains.GetGrain<IRoomSessionQuotaGrain>(roomId).AdmitAsync(sessionId, identity, address,
                new SessionLimits(o.SessionsPerParticipant, o.SessionsPerRoom, o.SessionsPerClientAddress));
        }
        catch (RoomException e) when (e.Code == RoomErrorCode.LimitReached)
        {
            http.Response.Headers.RetryAfter = o.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new ApiProblem(StatusCodes.Status429TooManyRequests, e.Message, "limitReached");
        }
    }

    private static SessionLimitsOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<SessionLimitsOptions>>().Value;
}
