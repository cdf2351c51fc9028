using System.Net;
using Gateway.Api;
using Gateway.Auth;
using Gateway.Sdp;
using Grains.Interfaces.Media;
using Grains.Interfaces.Participants;

namespace Gateway.WebRtc;

/// <summary>
/// What WHIP and WHEP share once the offer is negotiated and the node chosen: the one grain call that opens
/// the session (see <see cref="IClientSessionGrain.OpenAsync"/>), and the 201 answer it renders.
/// </summary>
internal static class SessionOpening
{
    /// <summary>Opens the session on the client-session grain; a refusal of the media node becomes a 503.</summary>
    public static async Task<OpenedSession> OpenAsync(IGrainFactory grains, string roomId, Caller caller, ClientSessionKind kind, string nodeId, MediaSessionSpec spec)
    {
        var request = new OpenSessionRequest(roomId, caller.Identity, Permissions(caller), kind, nodeId, spec,
            CreateRoom: kind == ClientSessionKind.Publish, ETag: SessionIds.NewETag(), OverrideBan: caller.IsAdminOf(roomId));
        try
        {
            return await grains.GetGrain<IClientSessionGrain>(spec.SessionId).OpenAsync(request);
        }
        catch (MediaNodeException e)
        {
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
    }

    /// <summary>201 with the SDP answer, the session's Location (RFC 9725 §4.2) and its ICE entity tag.</summary>
    public static IResult Answer(HttpContext http, string roomId, ClientSessionKind kind, NegotiatedSession session, OpenedSession opened,
        IReadOnlyDictionary<string, OutgoingTrack>? outgoing)
    {
        var grant = opened.Grant;
        if (!SdpFingerprint.TryParse(grant.Fingerprint, out var fingerprint, out _) || fingerprint is null
            || !IPAddress.TryParse(grant.Address, out var address))
            throw new InvalidOperationException($"Media node {grant.NodeId} returned unusable parameters.");
        var answer = SdpAnswerWriter.Write(session, new LocalSdpParameters(grant.IceUfrag, grant.IcePassword, fingerprint, address, grant.Port), outgoing);
        string prefix = kind == ClientSessionKind.Publish ? "whip" : "whep";
        http.Response.Headers.ETag = opened.ETag;
        http.Response.Headers.Location = $"/{prefix}/{Uri.EscapeDataString(roomId)}/{grant.SessionId}";
        return Results.Text(answer, SdpBody.SdpMediaType, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The participant's permissions if it has to join: the token's grants.</summary>
    private static ParticipantPermissions Permissions(Caller caller) =>
        (caller.Has(Grants.Publish) || caller.IsAdmin ? ParticipantPermissions.Publish : 0)
        | (caller.Has(Grants.Subscribe) || caller.IsAdmin ? ParticipantPermissions.Subscribe : 0);
}
