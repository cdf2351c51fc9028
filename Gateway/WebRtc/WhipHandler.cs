using System.Collections.Immutable;
using Gateway.Api;
using Gateway.Auth;
using Gateway.Sdp;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Gateway.WebRtc;

/// <summary>
/// WHIP (RFC 9725 §4.2): a publisher's offer becomes a participant, one stream per accepted section, and
/// a session on the chosen media node; the answer names that node's single port. Nothing is allocated
/// on any silo before the offer has been checked, and a failure half way undoes what was done.
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
        var room = await RoomMembership.RequireRoomAsync(grains, roomId, createIfMissing: SessionAdmission.MayCreateRoom(http, caller, roomId));
        timings.Lap("room");
        await RoomMembership.EnsureJoinedAsync(grains, room, roomId, caller);
        timings.Lap("join");
        var node = await nodes.ChooseAsync(http);
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

        var published = new List<string>();
        try
        {
            foreach (var track in tracks)
            {
                var ssrcs = track.RtxSsrc is { } rtxSsrc ? ImmutableArray.Create(track.Ssrc, rtxSsrc) : [track.Ssrc];
                await room.PublishAsync(new PublishRequest(caller.Identity, track.StreamId, track.Kind, track.Codec, ssrcs, node.NodeId));
                published.Add(track.StreamId);
            }
            timings.Lap("publish");
            var grant = await OpenAsync(node.NodeId, new MediaSessionSpec(sessionId, session.RemoteIceUfrag,
                [.. session.RemoteFingerprints.Select(f => f.ToString())], !session.LocalIsDtlsClient, tracks, []));
            timings.Lap("open session");
            var answer = await RecordAndAnswerAsync(http, roomId, caller, sessionId, ClientSessionKind.Publish, grant, session, [.. published], null);
            timings.Lap("record");
            if (logger.IsEnabled(LogLevel.Debug))
                LogTimings(logger, roomId, sessionId, timings.ToString());
            return answer;
        }
        catch
        {
            await WebRtcSessionCleanup.UndoPublishAsync(grains, room, roomId, caller.Identity, published, logger);
            throw;
        }
    }

    internal async Task<MediaSessionGrant> OpenAsync(string nodeId, MediaSessionSpec spec)
    {
        try
        {
            return await grains.GetGrain<IMediaNodeGrain>(nodeId).OpenSessionAsync(spec);
        }
        catch (MediaNodeException e)
        {
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
        catch (OrleansException e)
        {
            logger.LogWarning(e, "Media node {NodeId} could not be reached", nodeId);
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "The chosen media node is not available; try again.");
        }
    }

    internal async Task<IResult> RecordAndAnswerAsync(HttpContext http, string roomId, Caller caller, string sessionId, ClientSessionKind kind,
        MediaSessionGrant grant, NegotiatedSession session, ImmutableArray<string> streamIds, IReadOnlyDictionary<string, OutgoingTrack>? outgoing)
    {
        if (!SdpFingerprint.TryParse(grant.Fingerprint, out var fingerprint, out _) || fingerprint is null
            || !System.Net.IPAddress.TryParse(grant.Address, out var address))
            throw new InvalidOperationException($"Media node {grant.NodeId} returned unusable parameters.");
        var answer = SdpAnswerWriter.Write(session, new LocalSdpParameters(grant.IceUfrag, grant.IcePassword, fingerprint, address, grant.Port), outgoing);
        string etag = SessionIds.NewETag();
        await grains.GetGrain<IClientSessionGrain>(sessionId).RecordAsync(new ClientSessionInfo
        {
            SessionId = sessionId, RoomId = roomId, Identity = caller.Identity, Kind = kind, NodeId = grant.NodeId,
            StreamIds = streamIds, Status = ClientSessionStatus.Opening, CreatedAt = DateTimeOffset.UtcNow, AnswerSdp = answer, ETag = etag,
        });
        string prefix = kind == ClientSessionKind.Publish ? "whip" : "whep";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.Location = $"/{prefix}/{Uri.EscapeDataString(roomId)}/{sessionId}";
        return Results.Text(answer, SdpBody.SdpMediaType, statusCode: StatusCodes.Status201Created);
    }

    [LoggerMessage(EventId = 1151, Level = LogLevel.Debug, Message = "WHIP {RoomId}/{SessionId}: {Timings}")]
    private static partial void LogTimings(ILogger logger, string roomId, string sessionId, string timings);
}
