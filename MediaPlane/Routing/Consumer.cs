using System.Buffers.Binary;
using MediaPlane.Contracts;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.Routing;

/// <summary>
/// One subscribed track (mediasoup's Consumer): rewrites each of its producer's packets for one
/// subscriber (SSRC, payload type, sequence and timestamp offsets; header extensions dropped, since
/// their ids were negotiated with the publisher, not with this subscriber), protects and sends it.
/// Answers the subscriber's NACKs from the producer's retransmission buffer, as RTX when negotiated.
/// Belongs to its producer's receive loop: everything here but the counters' reads runs there.
/// </summary>
internal sealed class Consumer
{
    private SequenceRewriter _rewriter;
    private ushort _rtxSequence;

    internal Consumer(Producer producer, IRoutedSession subscriber, SubscribedTrack track)
    {
        Producer = producer;
        Subscriber = subscriber;
        Track = track;
        _rtxSequence = (ushort)Random.Shared.Next(ushort.MaxValue);
    }

    public Producer Producer { get; }

    public IRoutedSession Subscriber { get; }

    public SubscribedTrack Track { get; }

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
        int length = CopyWithoutExtensions(packet, header, buffer);
        WriteHeader(buffer, Track.PayloadType, sequence, timestamp, Track.OutputSsrc);
        LastRtpTimestamp = timestamp;
        LastRtpTicks = Environment.TickCount64;
        octets = length - header.HeaderLength;
        return Subscriber.QueueRtp(batch, length);
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
        int length;
        if (Track.RtxPayloadType is { } rtxPayloadType && Track.OutputRtxSsrc is { } rtxSsrc)
        {
            // RFC 4588 §4: the RTX payload is the original sequence number followed by the original payload.
            int headerLength = 12 + 4 * header.CsrcCount;
            stored[..headerLength].CopyTo(buffer);
            buffer[0] &= 0xEF;
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(headerLength), outputSequence);
            var payload = stored[header.PayloadOffset..];
            payload.CopyTo(buffer.AsSpan(headerLength + 2));
            length = headerLength + 2 + payload.Length;
            WriteHeader(buffer, rtxPayloadType, _rtxSequence++, timestamp, rtxSsrc);
        }
        else
        {
            length = CopyWithoutExtensions(stored, header, buffer);
            WriteHeader(buffer, Track.PayloadType, outputSequence, timestamp, Track.OutputSsrc);
        }
        if (!Subscriber.Send(buffer, length, isRtcp: false))
            return false;
        Volatile.Write(ref _retransmitted, _retransmitted + 1);
        return true;
    }

    // RFC 3550 §5.1: the fixed header and CSRCs stay, the extension (X bit, §5.3.1) is dropped.
    private static int CopyWithoutExtensions(ReadOnlySpan<byte> packet, in RtpPacketReader header, Span<byte> destination)
    {
        int headerLength = 12 + 4 * header.CsrcCount;
        packet[..headerLength].CopyTo(destination);
        destination[0] &= 0xEF;
        var rest = packet[header.PayloadOffset..];
        rest.CopyTo(destination[headerLength..]);
        return headerLength + rest.Length;
    }

    private static void WriteHeader(Span<byte> packet, byte payloadType, ushort sequence, uint timestamp, uint ssrc)
    {
        packet[1] = (byte)((packet[1] & 0x80) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
    }
}
