using System.Collections.Immutable;
using Gateway.Api;
using Gateway.Auth;
using Gateway.Sdp;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Gateway.WebRtc;

/// <summary>
/// WHEP: a subscriber's offer is matched, section by section in order, to the tracks published in the
/// room at that moment (or one participant's), each section accepting only its track's codec. A WHEP
/// offer cannot grow sections, so a client that wants N tracks offers N receive-only sections (the demo
/// page asks GET /v1/rooms/{id}/streams first); extra sections are answered inactive. The session goes on
/// the node the selector chooses (by the client's address); one call to the session's grain opens it (join,
/// subscribe, relay imports of streams published on other nodes, the session on the node).
/// </summary>
public sealed partial class WhepHandler(IGrainFactory grains, NodeSelector nodes, ILogger<WhepHandler> logger)
{
    public async Task<IResult> SubscribeAsync(HttpContext http, string roomId, string? publisher)
    {
        var caller = http.Caller();
        var timings = new StepTimings();
        RequestInput.RequireId(roomId, "room id");
        if (publisher is not null)
            RequestInput.RequireId(publisher, "participant identity");
        if (!caller.CoversRoom(roomId) || !(caller.Has(Grants.Subscribe) || caller.IsAdmin))
            throw ApiProblem.Forbidden("Subscribing needs a token with the subscribe grant for this room.");
        string? preferredRid = SimulcastQuery.Rid(http);
        var offerText = await SdpBody.ReadAsync(http.Request, SdpBody.SdpMediaType);
        SessionAdmission.CheckTracks(http, offerText);
        var parsed = SdpParser.Parse(offerText);
        if (!parsed.Success)
            throw new ApiProblem(StatusCodes.Status400BadRequest, $"malformed SDP offer: {parsed.ErrorMessage}", "MalformedSdp");

        var streams = (await PublishedStreamsAsync(roomId))
            .Where(s => s.PublisherIdentity != caller.Identity && (publisher is null || s.PublisherIdentity == publisher))
            .ToList();
        if (streams.Count == 0)
            throw ApiProblem.NotFound(publisher is null ? $"Nothing is published in room '{roomId}'." : $"'{publisher}' publishes nothing in room '{roomId}'.");
        var assignment = Assign(parsed.Description!, streams);
        timings.Lap("room streams");

        var negotiation = SdpNegotiator.Negotiate(parsed.Description!, NegotiationMode.Subscribe, sectionCapabilities: section =>
            assignment.TryGetValue(section, out var stream) && StreamCodecs.Capability(stream.Codec) is { } codec
                ? ServerCapabilities.Default.WithCodecs(codec)
                : ServerCapabilities.Default.WithCodecs());
        if (!negotiation.Success)
            throw new ApiProblem(negotiation.Error.StatusCode, negotiation.Error.Reason, negotiation.Error.Code.ToString());
        var session = negotiation.Session;

        string sessionId = SessionIds.NewSessionId();
        var tracks = new List<SubscribeTrackSpec>();
        var outgoing = new Dictionary<string, OutgoingTrack>(StringComparer.Ordinal);
        foreach (var media in session.AcceptedMedia)
        {
            var section = parsed.Description!.Media[media.Index];
            if (media.Mid is null || media.Codec is null || !assignment.TryGetValue(section, out var stream))
                continue;
            uint ssrc = SessionIds.NewSsrc();
            uint? rtxSsrc = media.RtxPayloadType is null ? null : SessionIds.NewSsrc();
            tracks.Add(new SubscribeTrackSpec(stream.StreamId, ssrc, rtxSsrc, (byte)media.Codec.PayloadType, media.RtxPayloadType is { } rtx ? (byte)rtx : null,
                preferredRid));
            outgoing[media.Mid] = new OutgoingTrack(ssrc, "rtc", stream.PublisherIdentity, stream.StreamId) { RtxSsrc = rtxSsrc };
        }
        if (tracks.Count == 0)
            throw new ApiProblem(StatusCodes.Status406NotAcceptable, "No receive-only section of the offer matches a published track's codec.");

        timings.Lap("sdp");
        string nodeId = (await nodes.ChooseAsync(http)).NodeId;
        timings.Lap("node");
        await SessionAdmission.AdmitAsync(http, grains, roomId, caller.Identity, sessionId);
        var spec = new MediaSessionSpec(sessionId, session.RemoteIceUfrag, [.. session.RemoteFingerprints.Select(f => f.ToString())],
            !session.LocalIsDtlsClient, [], [.. tracks], RemoteIcePassword: session.RemoteIcePwd);
        var opened = await SessionOpening.OpenAsync(grains, roomId, caller, ClientSessionKind.Subscribe, nodeId, spec);
        timings.Lap("open");
        if (logger.IsEnabled(LogLevel.Debug))
            LogTimings(logger, roomId, sessionId, timings.ToString());
        return SessionOpening.Answer(http, roomId, ClientSessionKind.Subscribe, session, opened, outgoing);
    }

    /// <summary>
    /// The room's streams, read without queueing behind the room's writes (interleaved reads); a missing room is
    /// 404, a closed one 409, as the open itself would say.
    /// </summary>
    private async Task<ImmutableArray<StreamInfo>> PublishedStreamsAsync(string roomId)
    {
        var room = grains.GetGrain<IRoomGrain>(roomId);
        var info = await room.GetAsync();
        if (info is null || info.Status == RoomStatus.None)
            throw ApiProblem.NotFound($"Room '{roomId}' does not exist.");
        if (info.Status == RoomStatus.Closed)
            throw ApiProblem.Conflict($"Room '{roomId}' is closed.");
        return await room.GetStreamsAsync();
    }

    /// <summary>Offered receive-only sections in order, each given the next unassigned track of its kind.</summary>
    private static Dictionary<MediaDescription, StreamInfo> Assign(SessionDescription offer, List<StreamInfo> streams)
    {
        var byKind = streams.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => new Queue<StreamInfo>(g));
        var assignment = new Dictionary<MediaDescription, StreamInfo>(ReferenceEqualityComparer.Instance);
        foreach (var section in offer.Media)
        {
            var kind = section.Kind switch { Sdp.MediaKind.Audio => StreamKind.Audio, Sdp.MediaKind.Video => StreamKind.Video, _ => (StreamKind?)null };
            if (kind is { } k && byKind.TryGetValue(k, out var queue) && queue.Count > 0)
                assignment[section] = queue.Dequeue();
        }
        return assignment;
    }

    [LoggerMessage(EventId = 1150, Level = LogLevel.Debug, Message = "WHEP {RoomId}/{SessionId}: {Timings}")]
    private static partial void LogTimings(ILogger logger, string roomId, string sessionId, string timings);
}
