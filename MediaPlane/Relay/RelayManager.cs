using System.Collections.Concurrent;
using System.Net;
using MediaPlane.Contracts;
using MediaPlane.Relay.Peers;
using MediaPlane.Relay.Probing;
using MediaPlane.Relay.Protocol;
using MediaPlane.Relay.Routes;
using MediaPlane.Routing;
using MediaPlane.RtcpTermination;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.Relay;

/// <summary>
/// Cross-node delivery over the relay port: exports (a producer's relay sinks, on the origin) and imports
/// (relayed producers, on the node that needs the stream). Set-up runs on control threads under the
/// router's topology lock; packets run on the relay port's receive loops without locks or allocations.
/// An import belongs to the relay loop its packets arrive on; feedback for an export goes to the
/// producer's own loop (through the RTCP terminator).
/// </summary>
internal sealed class RelayManager : IRelayPacketHandler, IDisposable
{
    private readonly Router _router;
    private readonly RtcpTerminator _rtcp;
    private readonly MediaPlaneCounters _counters;
    private readonly ConcurrentDictionary<(ulong Stream, ulong Destination), RelaySink> _exports = new();
    private readonly ConcurrentDictionary<ulong, Producer> _imports = new();
    private readonly RelayPort _port;
    private readonly Timer _housekeeping;
    private readonly RelayProber _prober;

    public RelayManager(RelayOptions options, Router router, RtcpTerminator rtcp, MediaPlaneCounters counters)
    {
        _router = router;
        _rtcp = rtcp;
        _counters = counters;
        _port = new RelayPort(options, this);
        router.ProducerRemoved = OnProducerRemoved;
        _prober = new RelayProber(_port.Peers, _port.Counters, _port.NodeHash, options.ProbeInterval);
        _housekeeping = new Timer(_ => Housekeeping(options), null, options.KeepaliveInterval, options.KeepaliveInterval);
    }

    public IPEndPoint EndPoint => _port.AdvertisedEndPoint;

    public RelayCounters Counters => _port.Counters;

    public RelayPort Port => _port;

    public int ExportCount => _exports.Count;

    public int ImportCount => _imports.Count;

    /// <summary>Control plane: the other nodes now known, each at the relay endpoint this node reaches it at.</summary>
    public bool SetPeers(IEnumerable<RelayPeerInfo> peers) => _port.Peers.Update(peers);

    /// <summary>The next-hop table last applied.</summary>
    public RelayRouteTable Routes => _port.Routes;

    /// <summary>
    /// Control plane: installs a pushed table unless this node already has that version or a newer one. Each export
    /// whose next hop changes asks its publisher for a keyframe: the stream now takes another path, and packets lost or
    /// reordered in the switch must not leave the subscribers on a broken picture until the next periodic keyframe.
    /// </summary>
    public bool ApplyRoutes(RelayRouteTable table)
    {
        if (_port.ApplyRoutes(table) is null)
            return false;
        foreach (var sink in _exports.Values)
        {
            ulong before = sink.NextHop;
            if (before != 0 && _port.TryNextHop(sink.DestinationNode, out var hop) && hop.NodeHash != before)
            {
                _port.Counters.RouteChanged();
                _rtcp.RequestKeyframe(sink.Producer);
            }
        }
        return true;
    }

    /// <summary>The links to the peers as probed so far.</summary>
    public IReadOnlyList<RelayLinkMeasurement> MeasureLinks() => _prober.Measure();

    /// <summary>
    /// Starts sending a stream published (or imported) here to another node's relay port, or refreshes
    /// the export if it exists. True when it was new. Throws <see cref="MediaSessionException"/> when the
    /// stream is not on this node.
    /// </summary>
    public bool Export(string roomId, string streamId, string destinationNodeId, IPEndPoint destination)
    {
        ulong destinationHash = RelayIds.Hash(destinationNodeId);
        if (destinationHash == _port.NodeHash)
            throw new MediaSessionException("A node does not export to itself.");
        ulong streamHash = RelayIds.Hash(streamId);
        long now = Environment.TickCount64;
        lock (_router.TopologyLock)
        {
            if (!_router.TryGetProducer(streamId, out var producer) || producer is null)
                throw new MediaSessionException($"Stream '{streamId}' is not published on this node.");
            if (_exports.TryGetValue((streamHash, destinationHash), out var existing))
            {
                if (existing.Producer == producer && existing.Destination.Equals(destination))
                {
                    existing.KeepAlive(now);
                    return false;
                }
                RemoveExport(existing);
            }
            var sink = new RelaySink(producer, _port, RelayIds.Hash(roomId), destinationNodeId, destination, now);
            _exports[(streamHash, destinationHash)] = sink;
            producer.AddRelaySink(sink);
            return true;
        }
    }

    /// <summary>Stops an export. False when there was none.</summary>
    public bool StopExport(string streamId, string destinationNodeId)
    {
        lock (_router.TopologyLock)
        {
            if (!_exports.TryGetValue((RelayIds.Hash(streamId), RelayIds.Hash(destinationNodeId)), out var sink))
                return false;
            RemoveExport(sink);
            return true;
        }
    }

    /// <summary>
    /// Makes a stream published on another node available here: a relayed producer that local consumers
    /// attach to like to a local one, fed by the origin's export to this node. True when it was new;
    /// false when the stream is already here (imported from the same origin, or published locally).
    /// </summary>
    public bool Import(string roomId, PublishedTrack track, string sourceNodeId, IPEndPoint source)
    {
        if (string.IsNullOrEmpty(track.StreamId))
            throw new MediaSessionException("A track needs a stream id.");
        if (RelayIds.Hash(sourceNodeId) == _port.NodeHash)
            throw new MediaSessionException("A node does not import from itself.");
        lock (_router.TopologyLock)
        {
            if (_router.TryGetProducer(track.StreamId, out var existing) && existing is not null)
            {
                if (existing.Source is not RelaySource current)
                    return false; // published here after all
                if (current.SourceNodeId == sourceNodeId && current.Origin.Equals(source) && existing.Track == track)
                {
                    // A session is about to attach: restart the idle clock so the import cannot expire under it.
                    if (current.IdleSinceTicks != 0)
                        current.IdleSinceTicks = Environment.TickCount64;
                    return false;
                }
                _router.RemoveProducer(existing); // the stream moved to another origin
            }
            var relaySource = new RelaySource(_port, roomId, track.StreamId, sourceNodeId, source);
            var producer = new Producer(track, publisher: null, relaySource) { SendKeyframeRequest = relaySource.SendKeyframeRequest };
            relaySource.IdleSinceTicks = Environment.TickCount64;
            _router.AddProducer(producer);
            _imports[relaySource.StreamHash] = producer;
        }
        return true;
    }

    /// <summary>Drops an import and detaches its consumers. False when the stream was not imported.</summary>
    public bool StopImport(string streamId)
    {
        lock (_router.TopologyLock)
        {
            if (!_router.TryGetProducer(streamId, out var producer) || producer?.Source is null)
                return false;
            _router.RemoveProducer(producer);
            return true;
        }
    }

    /// <summary>Under the topology lock: the router dropped a producer; its import and exports end.</summary>
    private void OnProducerRemoved(Producer producer)
    {
        if (producer.Source is RelaySource source)
            _imports.TryRemove(new KeyValuePair<ulong, Producer>(source.StreamHash, producer));
        foreach (RelaySink sink in producer.RelaySinks)
        {
            sink.SendStreamEnded();
            RemoveExport(sink);
        }
    }

    private void RemoveExport(RelaySink sink)
    {
        _exports.TryRemove(new KeyValuePair<(ulong, ulong), RelaySink>((sink.StreamHash, sink.DestinationNode), sink));
        sink.Producer.RemoveRelaySink(sink);
    }

    void IRelayPacketHandler.OnRelayPacket(in RelayPacketReader packet, long nowTicks, UdpReceiveSocket? loop)
    {
        var counters = _port.Counters;
        var header = packet.Header;
        switch (header.Kind)
        {
            case RelayPacketKind.Rtp:
            {
                if (!TryGetImport(header, out var producer))
                {
                    counters.Increment(RelayCounters.Counter.UnknownStream);
                    return;
                }
                ((RelaySource)producer.Source!).LastSequence = header.Sequence;
                DeliverRtp(producer, packet.Payload, nowTicks, loop);
                return;
            }
            case RelayPacketKind.StreamEnded:
            {
                if (!TryGetImport(header, out var producer))
                {
                    counters.Increment(RelayCounters.Counter.UnknownStream);
                    return;
                }
                lock (_router.TopologyLock)
                    _router.RemoveProducer(producer);
                return;
            }
            case RelayPacketKind.RtcpFeedback:
            case RelayPacketKind.Keepalive:
            {
                // Towards an origin (we export the stream to the sender), or a keepalive from our import's origin.
                if (!_exports.TryGetValue((header.StreamHash, header.SourceNode), out var sink) || sink.RoomHash != header.RoomHash)
                {
                    if (header.Kind == RelayPacketKind.Keepalive && TryGetImport(header, out var imported))
                    {
                        ((RelaySource)imported.Source!).Heard(nowTicks);
                        counters.Increment(RelayCounters.Counter.KeepalivesReceived);
                        return;
                    }
                    counters.Increment(RelayCounters.Counter.UnknownStream);
                    return;
                }
                sink.KeepAlive(nowTicks);
                if (header.Kind == RelayPacketKind.Keepalive)
                {
                    counters.Increment(RelayCounters.Counter.KeepalivesReceived);
                    return;
                }
                counters.Increment(RelayCounters.Counter.FeedbackReceived);
                _rtcp.OnRelayedFeedback(sink.Producer, packet.Payload, loop);
                return;
            }
        }
    }

    void IRelayPacketHandler.OnRelayV2Packet(RelayPeer from, Span<byte> datagram, in RelayV2Packet packet, long nowTicks, UdpReceiveSocket loop)
    {
        var counters = _port.Counters;
        if (packet.DestinationCount != 1 || packet.IsRouteId)
        {
            counters.Increment(RelayCounters.Counter.UnknownDestination); // we only send single-destination packets yet
            return;
        }
        if (packet.Destination != _port.NodeHash)
        {
            Forward(from, datagram, packet);
            return;
        }
        switch (packet.Type)
        {
            case RelayV2PacketType.Probe:
                _prober.OnProbe(from, packet);
                return;
            case RelayV2PacketType.ProbeReply:
                _prober.OnProbeReply(from, packet);
                return;
            case RelayV2PacketType.Media:
            {
                if (!TryGetImport(packet.Stream, packet.Room, packet.Source, out var producer))
                {
                    counters.Increment(RelayCounters.Counter.UnknownStream);
                    return;
                }
                DeliverRtp(producer, packet.Payload, nowTicks, loop);
                return;
            }
            case RelayV2PacketType.Rtcp:
            case RelayV2PacketType.Control:
            {
                var control = packet.Payload.Length == 1 ? (RelayV2ControlCode)packet.Payload[0] : 0;
                if (control == RelayV2ControlCode.StreamEnded || (control == RelayV2ControlCode.Keepalive && !_exports.ContainsKey((packet.Stream, packet.Source))))
                {
                    // From the stream's origin to us, its importer.
                    if (!TryGetImport(packet.Stream, packet.Room, packet.Source, out var imported))
                    {
                        counters.Increment(RelayCounters.Counter.UnknownStream);
                        return;
                    }
                    if (control == RelayV2ControlCode.StreamEnded)
                    {
                        lock (_router.TopologyLock)
                            _router.RemoveProducer(imported);
                        return;
                    }
                    ((RelaySource)imported.Source!).Heard(nowTicks);
                    counters.Increment(RelayCounters.Counter.KeepalivesReceived);
                    return;
                }
                // From an importer to us, the origin: it still wants the stream, or asks for a keyframe.
                if (!_exports.TryGetValue((packet.Stream, packet.Source), out var sink) || sink.RoomHash != packet.Room)
                {
                    counters.Increment(RelayCounters.Counter.UnknownStream);
                    return;
                }
                sink.KeepAlive(nowTicks);
                if (packet.Type == RelayV2PacketType.Control)
                {
                    counters.Increment(RelayCounters.Counter.KeepalivesReceived);
                    return;
                }
                counters.Increment(RelayCounters.Counter.FeedbackReceived);
                _rtcp.OnRelayedFeedback(sink.Producer, packet.Payload, loop);
                return;
            }
            default:
                counters.Increment(RelayCounters.Counter.UnknownDestination);
                return;
        }
    }

    /// <summary>
    /// A middle hop (SEED.md §3): the packet is for another node; send it on to the next hop of this node's table,
    /// resealed for that link, with no grain call and no allocation. Never back where it came from.
    /// </summary>
    private void Forward(RelayPeer from, Span<byte> datagram, in RelayV2Packet packet)
    {
        var counters = _port.Counters;
        if (packet.HopLimit == 0)
        {
            counters.Increment(RelayCounters.Counter.HopLimitExceeded);
            return;
        }
        if (!_port.TryNextHop(packet.Destination, out var hop) || hop == from)
        {
            counters.Increment(RelayCounters.Counter.UnknownDestination);
            return;
        }
        if (hop.TryResealAndSend(datagram))
            counters.Increment(RelayCounters.Counter.V2Forwarded);
    }

    private void DeliverRtp(Producer producer, ReadOnlySpan<byte> payload, long nowTicks, UdpReceiveSocket? loop)
    {
        var counters = _port.Counters;
        if (!RtpPacketReader.TryParse(payload, out var rtp, out _) || rtp.Ssrc != producer.Track.Ssrc)
        {
            counters.Increment(RelayCounters.Counter.Malformed);
            return;
        }
        if (!producer.TryOwn(loop, _rtcp, (int)RouterWork.HandOver))
        {
            _counters.Increment(MediaPlaneCounters.Counter.RtpWhileOwnerMoves);
            return;
        }
        ((RelaySource)producer.Source!).Heard(nowTicks);
        counters.Increment(RelayCounters.Counter.RtpReceived);
        producer.OnRtp(payload, rtp, nowTicks);
    }

    private bool TryGetImport(ulong stream, ulong room, ulong origin, out Producer producer)
    {
        if (_imports.TryGetValue(stream, out var found)
            && found.Source is RelaySource source && source.SourceNode == origin && source.RoomHash == room)
        {
            producer = found;
            return true;
        }
        producer = null!;
        return false;
    }

    private bool TryGetImport(in RelayHeader header, out Producer producer) =>
        TryGetImport(header.StreamHash, header.RoomHash, header.SourceNode, out producer);

    /// <summary>Every keepalive interval: keep imports alive at their origins, expire dead exports and idle imports.</summary>
    private void Housekeeping(RelayOptions options)
    {
        try
        {
            long now = Environment.TickCount64;
            foreach (var producer in _imports.Values)
            {
                var source = (RelaySource)producer.Source!;
                if (producer.Consumers.Count > 0)
                    source.IdleSinceTicks = 0;
                else if (source.IdleSinceTicks == 0)
                    source.IdleSinceTicks = now;
                if ((source.IdleSinceTicks != 0 && now - source.IdleSinceTicks > (long)options.IdleImportTimeout.TotalMilliseconds)
                    || now - source.LastHeardTicks > (long)options.ExportTimeout.TotalMilliseconds)
                {
                    lock (_router.TopologyLock)
                        _router.RemoveProducer(producer);
                    continue;
                }
                source.SendKeepalive();
            }
            foreach (var sink in _exports.Values)
            {
                if (now - sink.LastKeepaliveTicks > (long)options.ExportTimeout.TotalMilliseconds)
                {
                    lock (_router.TopologyLock)
                        RemoveExport(sink);
                    continue;
                }
                sink.SendKeepalive();
            }
        }
        catch (Exception)
        {
            // Topology changing under us; the next round looks again.
        }
    }

    public void Dispose()
    {
        _housekeeping.Dispose();
        _prober.Dispose();
        _port.Dispose();
    }
}
