using System.Collections.Immutable;
using Gateway.Api;
using Gateway.Auth;
using Gateway.Sdp;
using Grains.Interfaces.Media;
using Grains.Interfaces.Streams;

namespace Gateway.WebRtc;

/// <summary>
/// WHIP (RFC 9725 §4.2): parse and negotiate the publisher's offer, choose the node by the client's address,
/// then one call to the session's grain opens it (participant, one stream per accepted section, the session
/// on the node; it undoes what it did if a step fails); the answer names that node's single port. Nothing
/// is allocated on any silo before the offer has been checked.
/// </summary>
public sealed partial class WhipHandler(IGrainFactory grains, NodeSelector nodes, ILogger<WhipHandler> logger)
{
    public async Task<IResult> PublishAsync(HttpContext http, string roomId)
    {
        var caller = http.Caller();
        var timings = new StepTimings();
        RequestInput.RequireId(roomId, "room id");
        if (!caller.CoversRoom(roomId) || !(caller.Has(Grants.Publish) || caller.IsAdmin))
            throw ApiProblem.Forbidden("Publishing needs a token with the publish grant for this room.");
        var offer = await SdpBody.ReadAsync(http.Request, SdpBody.SdpMediaType);

        SessionAdmission.CheckTracks(http, offer);
        var negotiation = SdpNegotiator.Negotiate(offer, NegotiationMode.Publish);
        if (!negotiation.Success)
            throw new ApiProblem(negotiation.Error.StatusCode, negotiation.Error.Reason, negotiation.Error.Code.ToString());
        var session = negotiation.Session;
        var accepted = session.AcceptedMedia.Where(m => m.AnswerDirection == Sdp.MediaDirection.RecvOnly).ToList();
        if (accepted.Count == 0)
            throw new ApiProblem(StatusCodes.Status406NotAcceptable, "The offer sends no media this server can receive.");
        if (accepted.FirstOrDefault(m => m.RemoteSsrc is null) is { } unsignalled)
            throw ApiProblem.BadRequest($"Section {unsignalled.Mid ?? unsignalled.Index.ToString()} has no a=ssrc; this server needs the SSRC in the offer (simulcast is not supported yet).");

        timings.Lap("sdp");
        await SessionAdmission.RequireRoomUnlessCreatorAsync(http, grains, caller, roomId);
        string nodeId = (await nodes.ChooseAsync(http)).NodeId;
        timings.Lap("node");
        string sessionId = SessionIds.NewSessionId();
        await SessionAdmission.AdmitAsync(http, grains, roomId, caller.Identity, sessionId);
        var tracks = accepted.Select((m, i) => new PublishTrackSpec(
            StreamId: $"{sessionId}-{i}",
            Kind: m.Kind == Sdp.MediaKind.Audio ? StreamKind.Audio : StreamKind.Video,
            Ssrc: m.RemoteSsrc!.Value,
            RtxSsrc: m.RtxPayloadType is null ? null : m.RemoteRtxSsrc,
            PayloadType: (byte)m.Codec!.PayloadType,
            RtxPayloadType: m.RtxPayloadType is { } rtx ? (byte)rtx : null,
            ClockRate: m.Codec.ClockRate,
            Codec: StreamCodecs.Describe(m.Codec))).ToImmutableArray();
        var spec = new MediaSessionSpec(sessionId, session.RemoteIceUfrag, [.. session.RemoteFingerprints.Select(f => f.ToString())],
            !session.LocalIsDtlsClient, tracks, [], TransportWideCcExtensionId(session), session.RemoteIcePwd);
        var opened = await SessionOpening.OpenAsync(grains, roomId, caller, ClientSessionKind.Publish, nodeId, spec);
        timings.Lap("open");
        if (logger.IsEnabled(LogLevel.Debug))
            LogTimings(logger, roomId, sessionId, timings.ToString());
        return SessionOpening.Answer(http, roomId, ClientSessionKind.Publish, session, opened, outgoing: null);
    }

    /// <summary>
    /// The transport-wide sequence number extension id when every accepted section negotiated transport-cc with the
    /// same id (one sequence space per BUNDLE transport); else null, and the node sends no transport-cc feedback.
    /// </summary>
    internal static int? TransportWideCcExtensionId(NegotiatedSession session)
    {
        int? id = null;
        foreach (var media in session.Media.Where(m => m.Accepted))
        {
            var ext = media.Extensions.FirstOrDefault(e => e.Uri == RtpHeaderExtensionUris.TransportWideCc);
            if (ext is null || !media.Feedback.Any(f => f.Matches("transport-cc", null)) || (id is { } seen && seen != ext.Id))
                return null;
            id = ext.Id;
        }
        return id;
    }

    [LoggerMessage(EventId = 1151, Level = LogLevel.Debug, Message = "WHIP {RoomId}/{SessionId}: {Timings}")]
    private static partial void LogTimings(ILogger logger, string roomId, string sessionId, string timings);
}
