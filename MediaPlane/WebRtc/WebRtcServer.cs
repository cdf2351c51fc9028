using System.Net;
using MediaPlane.Contracts;
using MediaPlane.Demux;
using MediaPlane.Dtls;
using MediaPlane.Ice;
using MediaPlane.Recording.Live;
using MediaPlane.Relay;
using MediaPlane.Relay.Peers;
using MediaPlane.Relay.Probing;
using MediaPlane.Relay.Routes;
using MediaPlane.Routing;
using MediaPlane.RtcpTermination;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.WebRtc;

/// <summary>
/// A silo's WebRTC media node, put together: the single UDP port and its demultiplexing (this class:
/// STUN routed by ufrag, everything else by the client's address, RFC 7983), the <see cref="Router"/>
/// (sessions, producers, consumers), the <see cref="RtcpTerminator"/> (feedback, reports) and, when
/// configured, the <see cref="RelayManager"/> (imports, exports). The control plane sees only
/// <see cref="IMediaNode"/>; packets never leave the media plane for it.
/// </summary>
public sealed class WebRtcServer : IMediaNode, IDatagramHandler
{
    private readonly Router _router;
    private readonly RtcpTerminator _rtcp;
    private readonly RelayManager? _relay;
    private readonly IceLiteServer<IRoutedSession> _ice;
    private readonly UdpMediaPort _port;
    private readonly Recorder _recorder;

    public WebRtcServer(WebRtcServerOptions options, IMediaSessionObserver observer, DtlsCertificate? certificate = null)
    {
        Certificate = certificate ?? DtlsCertificate.Generate();
        var sessionCertificate = Certificate;
        _router = new Router(options.MaxSessions, options.ConsentTimeout, options.SweepInterval, observer,
            (request, host) => new WebRtcSession(request, sessionCertificate, options.Dtls, host), Counters);
        _rtcp = new RtcpTerminator(_router, Counters, options.ReportInterval);
        _ice = new IceLiteServer<IRoutedSession>(_router.Table, options.AddressMoves);
        _recorder = new Recorder(_router);
        try
        {
            _port = new UdpMediaPort(options.Port, this);
            _port.Start();
            if (options.Relay is { } relay)
                _relay = new RelayManager(relay, _router, _rtcp, Counters);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public DtlsCertificate Certificate { get; }

    public int Port => _port.Port;

    public string AdvertisedAddress => _port.AdvertisedAddress.ToString();

    public MediaPlaneCounters Counters { get; } = new();

    internal IceLiteServer<IRoutedSession> Ice => _ice;

    public int SessionCount => _router.SessionCount;

    public long DatagramsReceived => _port.DatagramsReceived;

    internal bool TryGetSession(string sessionId, out WebRtcSession? session)
    {
        session = _router.TryGetSession(sessionId, out var routed) ? routed as WebRtcSession : null;
        return session is not null;
    }

    public bool HasSession(string sessionId) => _router.TryGetSession(sessionId, out _);

    public IReadOnlyList<string> SessionIds() => _router.Sessions.Select(s => s.Id).ToList();

    public int UnconnectedSessionCount => _router.Sessions.Count(s => !s.IsConnected);

    internal bool TryGetProducer(string streamId, out Producer? producer) => _router.TryGetProducer(streamId, out producer);

    public MediaSessionAnswer Open(MediaSessionRequest request) => Answer(_router.Open(request));

    public MediaSessionAnswer? RestartIce(string sessionId, string remoteUfrag, string? remotePassword = null) =>
        _router.RestartIce(sessionId, remoteUfrag, remotePassword) is { } session ? Answer(session) : null;

    private MediaSessionAnswer Answer(IRoutedSession session) =>
        new(session.Id, session.LocalCredentials.Ufrag, session.LocalCredentials.Password, Certificate.Fingerprint, AdvertisedAddress, Port);

    public bool Close(string sessionId, SessionCloseReason reason = SessionCloseReason.Requested, string? detail = null) =>
        _router.Close(sessionId, reason, detail);

    public SubscriberBandwidthSnapshot? GetSubscriberBandwidth(string sessionId) =>
        _router.TryGetSession(sessionId, out var session) && session!.Bandwidth is { } bandwidth
            ? new SubscriberBandwidthSnapshot(bandwidth.BitsPerSecond, bandwidth.FeedbackPackets, bandwidth.PacketsNumbered)
            : null;

    public IReadOnlyList<MediaSessionSnapshot> SnapshotSessions()
    {
        var sessions = _router.Sessions;
        var snapshots = new List<MediaSessionSnapshot>(sessions.Count);
        foreach (var session in sessions)
        {
            if (!session.IsConnected || session.IsClosed)
                continue;
            var published = new List<PublishedTrackSnapshot>(session.Request.Publish.Count);
            foreach (var track in session.Request.Publish)
            {
                // Still this session's (a stream published again elsewhere on the node is not).
                if (!_router.TryGetProducer(track.StreamId, out var current) || current!.Publisher != session)
                    continue;
                long packets = 0, octets = 0, lost = 0;
                foreach (var producer in current.Simulcast?.Layers ?? [current])
                {
                    packets += producer.PacketsReceived;
                    octets += producer.OctetsReceived;
                    lost += producer.PacketsLost;
                }
                published.Add(new PublishedTrackSnapshot(track.StreamId, packets, octets, lost));
            }
            long packetsSent = 0, octetsSent = 0;
            foreach (var consumer in session.ConsumersBySsrc.Values)
            {
                packetsSent += consumer.PacketsSent;
                octetsSent += consumer.OctetsSent;
            }
            snapshots.Add(new MediaSessionSnapshot(session.Id, published, packetsSent, octetsSent));
        }
        return snapshots;
    }

    public IReadOnlyList<SubscriptionSnapshot> SnapshotSubscriptions(string sessionId)
    {
        if (!_router.TryGetSession(sessionId, out var session))
            return [];
        long now = Environment.TickCount64;
        var subscriptions = new List<SubscriptionSnapshot>();
        foreach (var consumer in session!.ConsumersBySsrc.Values)
        {
            var layers = new List<SubscriptionLayer>();
            if (consumer.Simulcast is { } simulcast)
            {
                for (int i = 0; i < simulcast.Layers.Length; i++)
                    layers.Add(new SubscriptionLayer(simulcast.Rid(i), simulcast.BitsPerSecond(i, now)));
            }
            subscriptions.Add(new SubscriptionSnapshot(consumer.Track.StreamId, consumer.CurrentRid, consumer.RequestedRid, layers));
        }
        return subscriptions;
    }

    public int RequestLayer(string sessionId, string? rid)
    {
        if (!_router.TryGetSession(sessionId, out var session))
            return 0;
        int changed = 0;
        foreach (var consumer in session!.ConsumersBySsrc.Values)
        {
            if (consumer.Simulcast is not { } simulcast)
                continue;
            int layer = rid is null ? simulcast.Layers.Length - 1 : simulcast.LayerOf(rid);
            if (layer < 0)
                continue;
            consumer.RequestLayerCeiling(layer);
            changed++;
        }
        return changed;
    }

    public IReadOnlyList<AudioLevelSample> SampleAudioLevels()
    {
        long now = Environment.TickCount64;
        var samples = new List<AudioLevelSample>();
        foreach (var session in _router.Sessions)
        {
            if (!session.IsConnected || session.IsClosed)
                continue;
            foreach (var producer in session.ProducersBySsrc.Values)
            {
                if (producer.AudioLevel is { } meter)
                    samples.Add(new AudioLevelSample(session.Id, producer.Track.StreamId, meter.LevelDbov(now)));
            }
        }
        return samples;
    }

    // Relay: imports and exports (RelayManager).

    public IPEndPoint? RelayEndPoint => _relay?.EndPoint;

    public RelayCounters? RelayCounters => _relay?.Counters;

    internal RelayPort? RelayPort => _relay?.Port;

    /// <summary>Relay sinks on this node (one per exported stream and destination node).</summary>
    public int RelayExportCount => _relay?.ExportCount ?? 0;

    /// <summary>Relayed producers on this node (one per imported stream).</summary>
    public int RelayImportCount => _relay?.ImportCount ?? 0;

    private RelayManager RequireRelay() =>
        _relay ?? throw new MediaSessionException("This media node has no relay port.");

    public bool ExportTrack(string roomId, string streamId, string destinationNodeId, IPEndPoint destination) =>
        RequireRelay().Export(roomId, streamId, destinationNodeId, destination);

    public bool StopExport(string streamId, string destinationNodeId) => RequireRelay().StopExport(streamId, destinationNodeId);

    public bool ImportTrack(string roomId, PublishedTrack track, string sourceNodeId, IPEndPoint source) =>
        RequireRelay().Import(roomId, track, sourceNodeId, source);

    public bool StopImport(string streamId) => RequireRelay().StopImport(streamId);

    public bool SetRelayPeers(IEnumerable<RelayPeerInfo> peers) => RequireRelay().SetPeers(peers);

    public IReadOnlyList<RelayLinkMeasurement> MeasureRelayLinks() => _relay?.MeasureLinks() ?? [];

    public bool ApplyRelayRoutes(RelayRouteTable table) => RequireRelay().ApplyRoutes(table);

    public RelayRouteTable RelayRoutes => _relay?.Routes ?? RelayRouteTable.Empty;

    public PublishedTrack? FindTrack(string streamId) =>
        _router.TryGetProducer(streamId, out var producer) ? producer!.Track : null;

    public bool IsImported(string streamId) =>
        _router.TryGetProducer(streamId, out var producer) && producer!.Source is not null;

    // Recording (Recording/Live): taps on producers, a writer thread per recording.

    public LiveRecordingStatus Record(LiveRecordingRequest request) => _recorder.Record(request);

    public LiveRecordingStatus? RecordingStatus(string recordingId) => _recorder.Status(recordingId);

    public LiveRecordingStatus? StopRecording(string recordingId) => _recorder.Stop(recordingId);

    public IReadOnlyList<string> RecordingIds() => _recorder.Ids();

    /// <summary>
    /// The receive path: on the media port's receive loops, once per datagram, allocating nothing. RTP is
    /// handled on the loop that owns its producer; RTCP about other loops' producers is posted to them.
    /// </summary>
    public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
    {
        var kind = PacketClassifier.Classify(datagram);
        if (kind == PacketKind.Stun)
        {
            _ice.Handle(datagram, meta, Environment.TickCount64);
            return;
        }
        if (kind is not (PacketKind.Dtls or PacketKind.Rtp or PacketKind.Rtcp))
        {
            Counters.Increment(MediaPlaneCounters.Counter.Unclassified);
            return;
        }
        // Everything but STUN is routed by the client's address, learned from a verified binding request.
        // The router holds only sessions this server made (see the factory above): WebRtc sessions.
        if (!_router.Table.TryGetByEndpoint(meta.Remote, out var routed) || routed is not WebRtcSession session)
        {
            Counters.Increment(MediaPlaneCounters.Counter.UnknownSource);
            return;
        }
        if (kind == PacketKind.Dtls)
        {
            session.Dtls.FeedDatagram(datagram);
            return;
        }

        bool isRtcp = kind == PacketKind.Rtcp;
        int plainLength = session.Unprotect(datagram, isRtcp);
        if (plainLength < 0)
        {
            Counters.Increment(MediaPlaneCounters.Counter.SrtpRejected);
            return;
        }
        var plain = datagram[..plainLength];
        if (isRtcp)
        {
            _rtcp.OnRtcp(session, plain, meta.Socket);
            return;
        }
        if (!RtpPacketReader.TryParse(plain, out var header, out _))
        {
            Counters.Increment(MediaPlaneCounters.Counter.RtpMalformed);
            return;
        }
        long nowTicks = Environment.TickCount64;
        // Every packet of the transport counts for the publisher's estimator, RTX and probing padding included.
        if (session.TransportFeedback is { } feedback)
        {
            var buffer = SendBuffer.ForCurrentThread;
            if (feedback.OnRtp(header, meta.Socket, nowTicks, PublisherTransportFeedback.NowMicros(), buffer, out int written)
                && session.Send(buffer, written, isRtcp: true))
                Counters.Increment(MediaPlaneCounters.Counter.TransportFeedbackSent);
        }
        else if (session.Remb is { } remb)
        {
            var buffer = SendBuffer.ForCurrentThread;
            if (remb.OnRtp(header, meta.Socket, nowTicks, PublisherTransportFeedback.NowMicros(), buffer, out int written)
                && session.Send(buffer, written, isRtcp: true))
                Counters.Increment(MediaPlaneCounters.Counter.RembSent);
        }
        if (!session.ProducersBySsrc.TryGetValue(header.Ssrc, out Producer? producer)
            && !(session.SsrcLearner is { } learner && learner.TryLearn(header, out producer)))
        {
            if (session.RtxProducersBySsrc.TryGetValue(header.Ssrc, out var repaired))
                OnRetransmission(plain, header, repaired!, meta.Socket, nowTicks);
            else
                Counters.Increment(MediaPlaneCounters.Counter.RtpUnknownSsrc);
            return;
        }
        if (!producer!.TryOwn(meta.Socket, _rtcp, (int)RouterWork.HandOver))
        {
            Counters.Increment(MediaPlaneCounters.Counter.RtpWhileOwnerMoves);
            return;
        }
        Counters.Increment(MediaPlaneCounters.Counter.RtpForwarded);
        producer.OnRtp(plain, header, nowTicks);
    }

    /// <summary>
    /// A publisher's RTX packet (RFC 4588): unwrapped in place into the packet it repairs, which enters the producer
    /// like any other packet when it is still missing there (see <see cref="Routing.Repair.PublisherRepair"/>).
    /// </summary>
    private void OnRetransmission(Span<byte> plain, in RtpPacketReader header, Producer producer, UdpReceiveSocket? loop, long nowTicks)
    {
        if (!producer.TryOwn(loop, _rtcp, (int)RouterWork.HandOver))
        {
            Counters.Increment(MediaPlaneCounters.Counter.RtpWhileOwnerMoves);
            return;
        }
        if (header.PayloadType != producer.Track.RtxPayloadType
            || !Routing.Repair.RtxPacket.TryUnwrap(plain, header, producer.Track.PayloadType, producer.Track.Ssrc, out _)
            || !RtpPacketReader.TryParse(plain[Routing.Repair.RtxPacket.OriginalOffset..], out var original, out _))
        {
            Counters.Increment(MediaPlaneCounters.Counter.RtxDiscarded);
            return;
        }
        if (producer.Repair is null)
        {
            Counters.Increment(MediaPlaneCounters.Counter.RtxDiscarded); // nothing was NACKed: no way to tell a repair from a duplicate
            return;
        }
        producer.OnRtp(plain[Routing.Repair.RtxPacket.OriginalOffset..], original, nowTicks, isRetransmission: true);
    }

    public void Dispose()
    {
        _recorder?.Dispose();
        _rtcp?.Dispose();
        _relay?.Dispose();
        _port?.Dispose();
        _router?.Dispose();
    }
}
