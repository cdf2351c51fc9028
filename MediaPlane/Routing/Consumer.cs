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
/// </summary>
internal sealed class Consumer
{
    private readonly HeaderExtensionIds _extensionIds;
    private readonly byte[] _mid;
    private SequenceRewriter _rewriter;
    private ushort _rtxSequence;

    internal Consumer(Producer producer, IRoutedSession subscriber, SubscribedTrack track)
    {
        Producer = producer;
        Subscriber = subscriber;
        Track = track;
        _rtxSequence = (ushort)Random.Shared.Next(ushort.MaxValue);
        _extensionIds = HeaderExtensionIds.From(track.Extensions);
        _mid = track.Mid is { } mid ? Encoding.ASCII.GetBytes(mid) : [];
    }

    public Producer Producer { get; }

    public IRoutedSession Subscriber { get; }

    public SubscribedTrack Track { get; }

    /// <summary>The simulcast layers this consumer can switch between; null for a single-stream track.</summary>
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
    internal bool Queue(ReadOnlySpan<byte> packet, in RtpPacketReader header, UdpSendBatch batch, out int octets)
    {
        octets = 0;
        if (!Subscriber.IsConnected)
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
        ushort inputSequence = _rewriter.ToInput(outputSequence);
        if (Producer.Buffer is not { } buffered
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
