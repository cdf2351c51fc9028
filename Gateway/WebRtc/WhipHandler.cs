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
        // A simulcast section (RFC 8853) needs no a=ssrc: the node learns each layer's SSRC from its RID extension.
        if (accepted.FirstOrDefault(m => m.RemoteSsrc is null && m.SimulcastRids.Count == 0) is { } unsignalled)
            throw ApiProblem.BadRequest($"Section {unsignalled.Mid ?? unsignalled.Index.ToString()} has no a=ssrc and is not simulcast (a=rid/a=simulcast); this server needs one or the other.");
        if (accepted.FirstOrDefault(m => m.SimulcastRids.Count > 0 && RidExtensionId(m) is null) is { } unnamed)
            throw ApiProblem.BadRequest($"Section {unnamed.Mid ?? unnamed.Index.ToString()} is simulcast but offers no rtp-stream-id header extension (RFC 8852 §3.1): its layers could not be told apart.");

        timings.Lap("sdp");
        await SessionAdmission.RequireRoomUnlessCreatorAsync(http, grains, caller, roomId);
        string nodeId = (await nodes.ChooseAsync(http)).NodeId;
        timings.Lap("node");
        string sessionId = SessionIds.NewSessionId();
        await SessionAdmission.AdmitAsync(http, grains, roomId, caller.Identity, sessionId);
        var tracks = accepted.Select((m, i) => new PublishTrackSpec(
            StreamId: $"{sessionId}-{i}",
            Kind: m.Kind == Sdp.MediaKind.Audio ? StreamKind.Audio : StreamKind.Video,
            Ssrc: m.SimulcastRids.Count > 0 ? 0 : m.RemoteSsrc!.Value,
            RtxSsrc: m.RtxPayloadType is null || m.SimulcastRids.Count > 0 ? null : m.RemoteRtxSsrc,
            PayloadType: (byte)m.Codec!.PayloadType,
            RtxPayloadType: m.RtxPayloadType is { } rtx ? (byte)rtx : null,
            ClockRate: m.Codec.ClockRate,
            Codec: StreamCodecs.Describe(m.Codec),
            SimulcastRids: [.. m.SimulcastRids],
            RidExtensionId: RidExtensionId(m),
            RepairedRidExtensionId: m.Extensions.FirstOrDefault(e => e.Uri == RtpHeaderExtensionUris.RepairedRtpStreamId)?.Id,
            Mid: m.Mid,
            MidExtensionId: m.MidExtensionId)).ToImmutableArray();
        var spec = new MediaSessionSpec(sessionId, session.RemoteIceUfrag, [.. session.RemoteFingerprints.Select(f => f.ToString())],
            !session.LocalIsDtlsClient, tracks, [], TransportWideCcExtensionId(session), session.RemoteIcePwd)
        {
            AudioLevelExtensionId = PublisherExtensions.AudioLevelId(session),
            RembAbsSendTimeExtensionId = PublisherExtensions.RembAbsSendTimeId(session),
        };
        var opened = await SessionOpening.OpenAsync(grains, roomId, caller, ClientSessionKind.Publish, nodeId, spec);
        timings.Lap("open");
        if (logger.IsEnabled(LogLevel.Debug))
            LogTimings(logger, roomId, sessionId, timings.ToString());
        return SessionOpening.Answer(http, roomId, ClientSessionKind.Publish, session, opened, outgoing: null);
    }

    private static int? RidExtensionId(NegotiatedMedia media) =>
        media.Extensions.FirstOrDefault(e => e.Uri == RtpHeaderExtensionUris.RtpStreamId)?.Id;

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
