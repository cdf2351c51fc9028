using System.Buffers.Binary;
using System.Text;
using MediaPlane.Congestion;
using MediaPlane.Contracts;
using MediaPlane.Routing.Egress;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.Routing;

/// <summary>
/// One subscribed track (mediasoup's Consumer): rewrites each of its producer's packets for one
/// subscriber (SSRC, payload type, sequence and timestamp offsets; a header extension block of its own in the
/// subscriber's ids, see <see cref="EgressHeaderExtensions"/>), protects and sends it.
/// Answers the subscriber's NACKs from the producer's retransmission buffer, as RTX when negotiated.
/// Belongs to its producer's receive loop: everything here but the counters' reads runs there.
/// Of a simulcast track it consumes every layer and forwards one (<see cref="Switcher"/>, the API for
/// bandwidth estimation is in the "Simulcast layers" part below).
/// </summary>
internal sealed class Consumer
{
    private readonly HeaderExtensionIds _extensionIds;
    private readonly byte[] _mid;
    private SequenceRewriter _rewriter;
    private ushort _rtxSequence;
    private ushort _layerStartOutput;

    internal Consumer(Producer producer, IRoutedSession subscriber, SubscribedTrack track)
    {
        Producer = producer;
        Subscriber = subscriber;
        Track = track;
        _rtxSequence = (ushort)Random.Shared.Next(ushort.MaxValue);
        _extensionIds = HeaderExtensionIds.From(track.Extensions);
        _mid = track.Mid is { } mid ? Encoding.ASCII.GetBytes(mid) : [];
        if (producer.Simulcast is { } simulcast)
        {
            int preferred = simulcast.LayerOf(track.PreferredRid);
            _ceiling = preferred >= 0 ? preferred : simulcast.Layers.Length - 1;
            Switcher = new SimulcastLayerSwitcher(_ceiling);
            Layers = new ConsumerSimulcastLayers(this); // the subscriber's estimate chooses among them (SubscriberAdaptation)
        }
    }

    /// <summary>The track's producer (a simulcast track's first layer, which owns the loop for all of them).</summary>
    public Producer Producer { get; }

    /// <summary>The layer choice of a simulcast track's consumer; null for a plain track.</summary>
    internal SimulcastLayerSwitcher? Switcher { get; }

    internal SimulcastTrack? Simulcast => Producer.Simulcast;

    /// <summary>Where a subscriber's PLI goes: the layer forwarded, or the one a switch waits for.</summary>
    internal Producer KeyframeProducer =>
        Switcher is { KeyframeLayer: >= 0 and var layer } ? Simulcast!.Layers[layer] : Producer;

    // Simulcast layers: the API for bandwidth estimation (issue 21 item 3). On the consumer's owner loop
    // (its producer's, Producer.Owner), except RequestLayer, which any thread may call.

    /// <summary>Layers of the track (1 for a plain track), index 0 the lowest.</summary>
    internal int LayerCount => Simulcast?.Layers.Length ?? 1;

    /// <summary>The layer's received bitrate now; 0 while the publisher does not send it.</summary>
    internal long LayerBitsPerSecond(int layer, long nowTicks) => Simulcast?.BitsPerSecond(layer, nowTicks) ?? 0;

    /// <summary>Forward <paramref name="layer"/> from its next keyframe on (a PLI asks for one). Ignored for a plain track.</summary>
    internal void RequestLayer(int layer)
    {
        if (Switcher is { } switcher && (uint)layer < (uint)LayerCount)
            switcher.RequestLayer(layer);
    }

    private volatile int _ceiling = int.MaxValue;

    /// <summary>
    /// The highest layer the subscriber asked for (WHEP <c>?rid=</c> or a later layer request; the top one when it named
    /// none). The bandwidth estimate chooses at or below it, never above: a subscriber that asked for a small picture
    /// keeps it however good its link. Any thread.
    /// </summary>
    internal int LayerCeiling => Math.Min(_ceiling, LayerCount - 1);

    /// <summary>The subscriber's own choice: sets the ceiling and switches to it at its next keyframe. Any thread.</summary>
    internal void RequestLayerCeiling(int layer)
    {
        if ((uint)layer >= (uint)LayerCount)
            return;
        _ceiling = layer;
        RequestLayer(layer);
    }

    /// <summary>The RID of the layer forwarded now; null for a plain track or before the first keyframe.</summary>
    internal string? CurrentRid => Switcher is { CurrentLayer: >= 0 and var layer } ? Simulcast!.Rid(layer) : null;

    /// <summary>The RID asked for; null for a plain track.</summary>
    internal string? RequestedRid => Switcher is { } switcher ? Simulcast!.Rid(switcher.RequestedLayer) : null;

    /// <summary>Detaches from every producer it consumes (each layer of a simulcast track). Under the topology lock.</summary>
    internal void Detach()
    {
        if (Simulcast is { } simulcast)
        {
            foreach (var layer in simulcast.Layers)
                layer.RemoveConsumer(this);
        }
        else
        {
            Producer.RemoveConsumer(this);
        }
    }

    public IRoutedSession Subscriber { get; }

    public SubscribedTrack Track { get; }

    /// <summary>
    /// The simulcast layers this consumer can switch between, for the subscriber's bandwidth estimate; null for a
    /// single-stream track. Set here for a simulcast track; tests may replace it.
    /// </summary>
    internal ISimulcastLayers? Layers { get; set; }

    // A padding probe's packets (RFC 3550 §5.1: P set, the last padding byte counts the padding): 255 bytes each.
    private const byte PaddingLength = 255;
    private static readonly byte[] PaddingTemplate = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // Written by the owner loop only (plain writes), read by anyone.
    public long PacketsSent => Volatile.Read(ref _packetsSent);
    public long OctetsSent => Volatile.Read(ref _octetsSent);
    public long Retransmitted => Volatile.Read(ref _retransmitted);
    private long _packetsSent;
    private long _octetsSent;
    private long _retransmitted;

    /// <summary>RTP timestamp (output) of the newest packet sent, and when: for our sender reports.</summary>
    internal uint LastRtpTimestamp;
    internal long LastRtpTicks;

    /// <summary>
    /// Called on the producer's receive thread for every packet: rewrites the packet into
    /// <paramref name="batch"/>'s next slot, protects it and queues it (the producer flushes the batch).
    /// </summary>
    /// <returns>Whether a datagram was queued; <paramref name="octets"/> is its payload size for <see cref="OnSent"/>.</returns>
    internal bool Queue(ReadOnlySpan<byte> packet, in RtpPacketReader header, int layer, UdpSendBatch batch, out int octets)
    {
        octets = 0;
        if (!Subscriber.IsConnected)
            return false;
        if (Switcher is { } switcher && !ChooseLayer(switcher, header, layer))
            return false;
        if (!_rewriter.Started)
            _rewriter.Start(header.SequenceNumber, header.Timestamp, timestampGap: 0);
        _rewriter.Rewrite(header.SequenceNumber, header.Timestamp, out ushort sequence, out uint timestamp);

        var buffer = batch.Next;
        var payload = packet[header.PayloadOffset..];
        int headerLength = WriteHeaderWithExtensions(packet, header, buffer, payload.Length, out int sequenceOffset);
        payload.CopyTo(buffer[headerLength..]);
        int length = headerLength + payload.Length;
        WriteHeader(buffer, Track.PayloadType, sequence, timestamp, Track.OutputSsrc);
        LastRtpTimestamp = timestamp;
        LastRtpTicks = Environment.TickCount64;
        octets = payload.Length;
        return Subscriber.QueueRtp(batch, length, sequenceOffset);
    }

    /// <summary>
    /// Of a simulcast track: whether this packet of <paramref name="layer"/> is forwarded. A switch renumbers from
    /// its keyframe on: the next output sequence number, and a timestamp that moves on by the time since the
    /// last packet sent (RFC 3550 §5.1: the layers' clocks have unrelated offsets; ours must not jump back).
    /// </summary>
    private bool ChooseLayer(SimulcastLayerSwitcher switcher, in RtpPacketReader header, int layer)
    {
        var simulcast = Simulcast!;
        long now = Environment.TickCount64;
        int target = simulcast.Available(switcher.RequestedLayer, now);
        // A codec we cannot read (AV1) switches at once: the subscriber's decoder asks for the keyframe it lacks.
        bool keyframe = layer == target && layer != switcher.CurrentLayer
            && (simulcast.Codec == KeyframeCodec.Unknown || KeyframeDetector.IsKeyframeStart(simulcast.Codec, header.Payload));
        var decision = switcher.OnPacket(layer, keyframe, target, header.SequenceNumber);
        // A layer whose SSRC is not learned yet cannot be asked: the request waits for its first packet.
        if (simulcast.Layers[target].MediaSsrc != 0 && switcher.TakeKeyframeRequest(now, out int wanted))
            simulcast.Layers[wanted].RequestKeyframe(now);
        if (decision == LayerDecision.Switch)
        {
            uint gap = _rewriter.Started ? (uint)Math.Max(1, (now - LastRtpTicks) * simulcast.Track.ClockRate / 1000) : 0;
            _rewriter.Start(header.SequenceNumber, header.Timestamp, gap);
            _rewriter.Rewrite(header.SequenceNumber, header.Timestamp, out _layerStartOutput, out _);
        }
        return decision != LayerDecision.Drop;
    }

    /// <summary>A datagram <see cref="Queue"/>d for this consumer left in the batch's flush.</summary>
    internal void OnSent(int octets)
    {
        Volatile.Write(ref _packetsSent, _packetsSent + 1);
        Volatile.Write(ref _octetsSent, _octetsSent + octets);
    }

    /// <summary>
    /// On the producer's loop (never the subscriber's: the buffer slot could be overwritten while copied):
    /// resends the packet the subscriber knows as <paramref name="outputSequence"/>, if still buffered.
    /// </summary>
    internal bool Retransmit(ushort outputSequence)
    {
        var source = Producer;
        if (Switcher is { } switcher)
        {
            // Only the current layer's packets can be found again: before its switch the numbers were another layer's.
            if (switcher.CurrentLayer < 0 || SequenceUnwrapper.IsNewer(_layerStartOutput, outputSequence))
                return false;
            source = Simulcast!.Layers[switcher.CurrentLayer];
        }
        ushort inputSequence = _rewriter.ToInput(outputSequence);
        if (source.Buffer is not { } buffered
            || !buffered.TryGet(inputSequence, out var stored)
            || !RtpPacketReader.TryParse(stored, out var header, out _)
            || header.SequenceNumber != inputSequence)
            return false;

        var buffer = SendBuffer.ForCurrentThread;
        uint timestamp = _rewriter.ToOutputTimestamp(header.Timestamp);
        var payload = stored[header.PayloadOffset..];
        bool rtx = Track.RtxPayloadType is not null && Track.OutputRtxSsrc is not null;
        int headerLength = WriteHeaderWithExtensions(stored, header, buffer, payload.Length + (rtx ? 2 : 0), out int sequenceOffset);
        int length;
        if (rtx)
        {
            // RFC 4588 §4: the RTX payload is the original sequence number followed by the original payload.
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(headerLength), outputSequence);
            payload.CopyTo(buffer.AsSpan(headerLength + 2));
            length = headerLength + 2 + payload.Length;
            WriteHeader(buffer, Track.RtxPayloadType!.Value, _rtxSequence++, timestamp, Track.OutputRtxSsrc!.Value);
        }
        else
        {
            payload.CopyTo(buffer.AsSpan(headerLength));
            length = headerLength + payload.Length;
            WriteHeader(buffer, Track.PayloadType, outputSequence, timestamp, Track.OutputSsrc);
        }
        if (!Subscriber.Send(buffer, length, isRtcp: false, sequenceOffset))
            return false;
        Volatile.Write(ref _retransmitted, _retransmitted + 1);
        return true;
    }

    /// <summary>Padding probes go on the RTX stream (RFC 4588), never in the media stream's sequence numbers.</summary>
    internal bool CanSendPadding => Track.OutputRtxSsrc is not null && Track.RtxPayloadType is not null && PacketsSent > 0;

    /// <summary>
    /// On the producer's loop: one padding-only RTX packet (no payload; the receiver counts it in its transport-cc
    /// feedback and drops it), recorded in the subscriber's history as part of probe cluster <paramref name="probeClusterId"/>.
    /// </summary>
    internal bool SendPadding(int probeClusterId)
    {
        if (Track.OutputRtxSsrc is not { } rtxSsrc || Track.RtxPayloadType is not { } rtxPayloadType
            || !RtpPacketReader.TryParse(PaddingTemplate, out var template, out _))
            return false;
        var buffer = SendBuffer.ForCurrentThread;
        int headerLength = WriteHeaderWithExtensions(PaddingTemplate, template, buffer, PaddingLength, out int sequenceOffset);
        buffer[0] |= 0x20;
        WriteHeader(buffer, rtxPayloadType, _rtxSequence++, LastRtpTimestamp, rtxSsrc);
        buffer.AsSpan(headerLength, PaddingLength - 1).Clear();
        buffer[headerLength + PaddingLength - 1] = PaddingLength;
        return Subscriber.Send(buffer, headerLength + PaddingLength, isRtcp: false, sequenceOffset, probeClusterId);
    }

    private int WriteHeaderWithExtensions(ReadOnlySpan<byte> packet, in RtpPacketReader header, Span<byte> destination,
        int payloadLength, out int transportSequenceOffset) =>
        EgressHeaderExtensions.CopyHeader(packet, header, destination, payloadLength, Producer.ExtensionIds, _extensionIds, _mid,
            out transportSequenceOffset);

    private static void WriteHeader(Span<byte> packet, byte payloadType, ushort sequence, uint timestamp, uint ssrc)
    {
        packet[1] = (byte)((packet[1] & 0x80) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
    }
}
