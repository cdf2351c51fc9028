using System.Collections.Concurrent;
using System.Net;
using MediaPlane.Relay;
using MediaPlane.Routing;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.WebRtc;

// Cross-node delivery over the relay port: exports (a producer's relay sinks, on the origin) and imports
// (relayed producers, on the node that needs the stream). Set-up runs on control threads under the
// topology lock; packets run on the relay port's receive loops without locks or allocations. An import
// belongs to the relay loop its packets arrive on; feedback for an export goes to the producer's loop.
public sealed partial class WebRtcServer : IRelayPacketHandler
{
    private readonly ConcurrentDictionary<(ulong Stream, ulong Destination), RelaySink> _exports = new();
    private readonly ConcurrentDictionary<ulong, Producer> _imports = new();
    private RelayPort? _relay;
    private Timer? _relayTimer;

    /// <summary>Where other nodes reach this node's relay port; null when the relay is off.</summary>
    public IPEndPoint? RelayEndPoint => _relay?.AdvertisedEndPoint;

    public RelayCounters? RelayCounters => _relay?.Counters;

    internal RelayPort? RelayPort => _relay;

    /// <summary>Relay sinks on this node (one per exported stream and destination node).</summary>
    public int RelayExportCount => _exports.Count;

    /// <summary>Relayed producers on this node (one per imported stream).</summary>
    public int RelayImportCount => _imports.Count;

    private void StartRelay(RelayOptions options)
    {
        _relay = new RelayPort(options, this);
        _relayTimer = new Timer(_ => RelayHousekeeping(options), null, options.KeepaliveInterval, options.KeepaliveInterval);
    }

    public PublishedTrack? FindTrack(string streamId) =>
        _producersByStream.TryGetValue(streamId, out var producer) ? producer.Track : null;

    public bool IsImported(string streamId) =>
        _producersByStream.TryGetValue(streamId, out var producer) && producer.Source is not null;

    private RelayPort RequireRelay() =>
        _relay ?? throw new MediaSessionException("This media node has no relay port.");

    /// <summary>
    /// Starts sending a stream published (or imported) here to another node's relay port, or refreshes
    /// the export if it exists. True when it was new. Throws <see cref="MediaSessionException"/> when the
    /// stream is not on this node.
    /// </summary>
    public bool ExportTrack(string roomId, string streamId, string destinationNodeId, IPEndPoint destination)
    {
        var relay = RequireRelay();
        ulong destinationHash = RelayIds.Hash(destinationNodeId);
        if (destinationHash == relay.NodeHash)
            throw new MediaSessionException("A node does not export to itself.");
        ulong streamHash = RelayIds.Hash(streamId);
        long now = Environment.TickCount64;
        lock (_topologyLock)
        {
            if (!_producersByStream.TryGetValue(streamId, out var producer))
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
            var sink = new RelaySink(producer, relay, RelayIds.Hash(roomId), destinationNodeId, destination, now);
            _exports[(streamHash, destinationHash)] = sink;
            producer.AddRelaySink(sink);
            return true;
        }
    }

    /// <summary>Stops an export. False when there was none.</summary>
    public bool StopExport(string streamId, string destinationNodeId)
    {
        lock (_topologyLock)
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
    public bool ImportTrack(string roomId, PublishedTrack track, string sourceNodeId, IPEndPoint source)
    {
        var relay = RequireRelay();
        if (string.IsNullOrEmpty(track.StreamId))
            throw new MediaSessionException("A track needs a stream id.");
        if (RelayIds.Hash(sourceNodeId) == relay.NodeHash)
            throw new MediaSessionException("A node does not import from itself.");
        lock (_topologyLock)
        {
            if (_producersByStream.TryGetValue(track.StreamId, out var existing))
            {
                if (existing.Source is not { } current)
                    return false; // published here after all
                if (current.SourceNodeId == sourceNodeId && current.Origin.Equals(source) && existing.Track == track)
                {
                    // A session is about to attach: restart the idle clock so the import cannot expire under it.
                    if (current.IdleSinceTicks != 0)
                        current.IdleSinceTicks = Environment.TickCount64;
                    return false;
                }
                RemoveProducer(existing); // the stream moved to another origin
            }
            var relaySource = new RelaySource(relay, roomId, track.StreamId, sourceNodeId, source);
            var producer = new Producer(track, publisher: null, relaySource) { SendKeyframeRequest = relaySource.SendKeyframeRequest };
            relaySource.IdleSinceTicks = Environment.TickCount64;
            _producersByStream[track.StreamId] = producer;
            _imports[relaySource.StreamHash] = producer;
        }
        return true;
    }

    /// <summary>Drops an import and detaches its consumers. False when the stream was not imported.</summary>
    public bool StopImport(string streamId)
    {
        lock (_topologyLock)
        {
            if (!_producersByStream.TryGetValue(streamId, out var producer) || producer.Source is null)
                return false;
            RemoveProducer(producer);
            return true;
        }
    }

    /// <summary>Under the topology lock: a producer leaves (its publisher closed, or its import ended).</summary>
    private void RemoveProducer(Producer producer)
    {
        _producersByStream.TryRemove(new KeyValuePair<string, Producer>(producer.Track.StreamId, producer));
        if (producer.Source is { } source)
            _imports.TryRemove(new KeyValuePair<ulong, Producer>(source.StreamHash, producer));
        foreach (var consumer in producer.Consumers)
        {
            consumer.Subscriber.ConsumersBySsrc.TryRemove(consumer.Track.OutputSsrc, out _);
            producer.RemoveConsumer(consumer);
        }
        foreach (var sink in producer.RelaySinks)
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

    void IRelayPacketHandler.OnRelayPacket(in RelayPacketReader packet, long nowTicks, UdpReceiveSocket loop)
    {
        var counters = _relay!.Counters;
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
                var payload = packet.Payload;
                if (!RtpPacketReader.TryParse(payload, out var rtp, out _) || rtp.Ssrc != producer.Track.Ssrc)
                {
                    counters.Increment(RelayCounters.Counter.Malformed);
                    return;
                }
                if (!producer.TryOwn(loop, this, (int)RouterWork.HandOver))
                {
                    Counters.Increment(MediaPlaneCounters.Counter.RtpWhileOwnerMoves);
                    return;
                }
                producer.Source!.LastSequence = header.Sequence;
                producer.Source.Heard(nowTicks);
                counters.Increment(RelayCounters.Counter.RtpReceived);
                producer.OnRtp(payload, rtp, nowTicks);
                return;
            }
            case RelayPacketKind.StreamEnded:
            {
                if (!TryGetImport(header, out var producer))
                {
                    counters.Increment(RelayCounters.Counter.UnknownStream);
                    return;
                }
                lock (_topologyLock)
                    RemoveProducer(producer);
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
                        imported.Source!.Heard(nowTicks);
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
                OnRelayedFeedback(sink.Producer, packet.Payload, loop);
                return;
            }
        }
    }

    private bool TryGetImport(in RelayHeader header, out Producer producer)
    {
        if (_imports.TryGetValue(header.StreamHash, out var found)
            && found.Source is { } source && source.SourceNode == header.SourceNode && source.RoomHash == header.RoomHash)
        {
            producer = found;
            return true;
        }
        producer = null!;
        return false;
    }

    /// <summary>A remote node's subscribers want a keyframe: ask our publisher, rate limited as for local ones.</summary>
    private void OnRelayedFeedback(Producer producer, ReadOnlySpan<byte> compound, UdpReceiveSocket loop)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out var rtcp))
        {
            if (rtcp.PacketType == RtcpPacketType.PayloadSpecificFeedback
                && rtcp.Count is RtcpPictureLossIndication.Format or RtcpFullIntraRequest.Format)
            {
                RunOnOwner(producer, RouterWork.RequestKeyframe, producer, 0, loop);
                return;
            }
        }
        if (reader.Error != RtcpParseError.None)
            Counters.Increment(MediaPlaneCounters.Counter.RtcpMalformed);
    }

    /// <summary>Every keepalive interval: keep imports alive at their origins, expire dead exports and idle imports.</summary>
    private void RelayHousekeeping(RelayOptions options)
    {
        try
        {
            long now = Environment.TickCount64;
            foreach (var producer in _imports.Values)
            {
                var source = producer.Source!;
                if (producer.Consumers.Count > 0)
                    source.IdleSinceTicks = 0;
                else if (source.IdleSinceTicks == 0)
                    source.IdleSinceTicks = now;
                if ((source.IdleSinceTicks != 0 && now - source.IdleSinceTicks > (long)options.IdleImportTimeout.TotalMilliseconds)
                    || now - source.LastHeardTicks > (long)options.ExportTimeout.TotalMilliseconds)
                {
                    lock (_topologyLock)
                        RemoveProducer(producer);
                    continue;
                }
                source.SendKeepalive();
            }
            foreach (var sink in _exports.Values)
            {
                if (now - sink.LastKeepaliveTicks > (long)options.ExportTimeout.TotalMilliseconds)
                {
                    lock (_topologyLock)
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
}
