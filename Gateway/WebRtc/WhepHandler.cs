using System.Collections.Immutable;
using Gateway.Api;
using Gateway.Auth;
using Gateway.Sdp;
using Grains.Interfaces.Media;
using Grains.Interfaces.Streams;

namespace Gateway.WebRtc;

/// <summary>
/// WHEP: a subscriber's offer is matched, section by section in order, to the tracks published in the
/// room at that moment (or one participant's), each section accepting only its track's codec. A WHEP
/// offer cannot grow sections, so a client that wants N tracks offers N receive-only sections (the demo
/// page asks GET /v1/rooms/{id}/streams first); extra sections are answered inactive. The session goes on
/// the node the selector chooses; streams published on other nodes are imported there over the relay first.
/// </summary>
public sealed partial class WhepHandler(IGrainFactory grains, WhipHandler sessions, NodeSelector nodes, ILogger<WhepHandler> logger)
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
        var offerText = await SdpBody.ReadAsync(http.Request, SdpBody.SdpMediaType);
        SessionAdmission.CheckTracks(http, offerText);
        var parsed = SdpParser.Parse(offerText);
        if (!parsed.Success)
            throw new ApiProblem(StatusCodes.Status400BadRequest, $"malformed SDP offer: {parsed.ErrorMessage}", "MalformedSdp");

        var room = await RoomMembership.RequireRoomAsync(grains, roomId, createIfMissing: false);
        var streams = (await room.GetStreamsAsync())
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

        var tracks = new List<SubscribeTrackSpec>();
        var outgoing = new Dictionary<string, OutgoingTrack>(StringComparer.Ordinal);
        foreach (var media in session.AcceptedMedia)
        {
            var section = parsed.Description!.Media[media.Index];
            if (media.Mid is null || media.Codec is null || !assignment.TryGetValue(section, out var stream))
                continue;
            uint ssrc = SessionIds.NewSsrc();
            uint? rtxSsrc = media.RtxPayloadType is null ? null : SessionIds.NewSsrc();
            tracks.Add(new SubscribeTrackSpec(stream.StreamId, ssrc, rtxSsrc, (byte)media.Codec.PayloadType, media.RtxPayloadType is { } rtx ? (byte)rtx : null));
            outgoing[media.Mid] = new OutgoingTrack(ssrc, "rtc", stream.PublisherIdentity, stream.StreamId) { RtxSsrc = rtxSsrc };
        }
        if (tracks.Count == 0)
            throw new ApiProblem(StatusCodes.Status406NotAcceptable, "No receive-only section of the offer matches a published track's codec.");

        timings.Lap("sdp");
        await RoomMembership.EnsureJoinedAsync(grains, room, roomId, caller);
        timings.Lap("join");
        string nodeId = (await nodes.ChooseAsync(http)).NodeId;
        timings.Lap("node");
        string sessionId = SessionIds.NewSessionId();
        await SessionAdmission.AdmitAsync(http, grains, roomId, caller.Identity, sessionId);
        var subscribed = new List<string>();
        try
        {
            await ImportAsync(nodeId, roomId, tracks.Select(t => streams.First(s => s.StreamId == t.StreamId)));
            timings.Lap("import");
            // One room-grain call and one checkpoint for all tracks: parallel joins queue on the room's writes.
            var streamIds = tracks.Select(t => t.StreamId).ToImmutableArray();
            subscribed.AddRange(streamIds); // undone as a whole if the batch fails (unsubscribing is idempotent)
            await room.SubscribeManyAsync(caller.Identity, streamIds);
            timings.Lap("subscribe");
            var grant = await sessions.OpenAsync(nodeId, new MediaSessionSpec(sessionId, session.RemoteIceUfrag,
                [.. session.RemoteFingerprints.Select(f => f.ToString())], !session.LocalIsDtlsClient, [], [.. tracks]));
            timings.Lap("open session");
            var answer = await sessions.RecordAndAnswerAsync(http, roomId, caller, sessionId, ClientSessionKind.Subscribe, grant, session, [.. subscribed], outgoing);
            timings.Lap("record");
            if (logger.IsEnabled(LogLevel.Debug))
                LogTimings(logger, roomId, sessionId, timings.ToString());
            return answer;
        }
        catch
        {
            await WebRtcSessionCleanup.UndoSubscribeAsync(grains, room, roomId, caller.Identity, subscribed, logger);
            throw;
        }
    }

    /// <summary>Streams published on other nodes reach the subscriber's node over the relay, once per node.</summary>
    private async Task ImportAsync(string nodeId, string roomId, IEnumerable<StreamInfo> streams)
    {
        var node = grains.GetGrain<IMediaNodeGrain>(nodeId);
        foreach (var stream in streams.Where(s => s.OriginSilo != nodeId))
        {
            try
            {
                await node.ImportTrackAsync(roomId, stream.StreamId, stream.OriginSilo);
            }
            catch (MediaNodeException e)
            {
                throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, e.Message);
            }
            catch (OrleansException e)
            {
                logger.LogWarning(e, "Relaying stream {StreamId} from node {Origin} to {NodeId} failed", stream.StreamId, stream.OriginSilo, nodeId);
                throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "A stream's media node is not available; try again.");
            }
        }
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
