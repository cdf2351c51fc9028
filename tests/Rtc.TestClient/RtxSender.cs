using System.Buffers.Binary;
using System.Collections.Concurrent;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;

namespace Rtc.TestClient;

/// <summary>
/// A publisher's side of loss repair, as a browser does it: keeps what it sent of one stream and answers the
/// server's Generic NACKs (RFC 4585 §6.2.1) with RTX packets (RFC 4588 §4: the original sequence number, then the
/// original payload, on the RTX SSRC and payload type, with RTX sequence numbers of their own). Hand it the client's
/// RTCP (<see cref="OnRtcp"/>); send media through <see cref="Send"/>, which may drop a packet "on the wire".
/// </summary>
public sealed class RtxSender(WebRtcClientTransport client, uint mediaSsrc, uint rtxSsrc, byte rtxPayloadType)
{
    private readonly ConcurrentDictionary<ushort, byte[]> _sent = new();
    private int _rtxSequence = Random.Shared.Next(ushort.MaxValue);

    /// <summary>Sequence numbers the server NACKed, in arrival order (repeats included).</summary>
    public ConcurrentQueue<ushort> Nacked { get; } = new();

    /// <summary>PLIs received for the media SSRC.</summary>
    public int KeyframeRequests => Volatile.Read(ref _keyframeRequests);
    private int _keyframeRequests;

    /// <summary>When set and true for a sequence number, its NACKs go unanswered (a packet lost for good).</summary>
    public Func<ushort, bool>? Unanswered { get; set; }

    public int Retransmitted => Volatile.Read(ref _retransmitted);
    private int _retransmitted;

    /// <summary>Records a media packet and sends it, unless <paramref name="loseOnTheWay"/>.</summary>
    public void Send(byte[] packet, bool loseOnTheWay = false)
    {
        _sent[BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2))] = packet;
        if (!loseOnTheWay)
            client.SendRtp(packet);
    }

    /// <summary>Sends an RTX packet for a packet that was not missing (as a browser's bandwidth probing does).</summary>
    public bool Resend(ushort sequence) => _sent.TryGetValue(sequence, out var packet) && SendRtx(packet);

    /// <summary>The client's RTCP: NACKs about the media SSRC are answered, PLIs counted.</summary>
    public void OnRtcp(ReadOnlySpan<byte> compound)
    {
        var reader = new RtcpCompoundReader(compound);
        Span<ushort> lost = stackalloc ushort[1024];
        while (reader.TryReadNext(out var packet))
        {
            if (packet.PacketType == RtcpPacketType.PayloadSpecificFeedback && RtcpPictureLossIndication.TryParse(packet.Bytes, out var pli, out _)
                && pli.MediaSsrc == mediaSsrc)
                Interlocked.Increment(ref _keyframeRequests);
            if (packet.PacketType != RtcpPacketType.TransportFeedback || !RtcpGenericNack.TryParse(packet.Bytes, out var nack, out _)
                || nack.MediaSsrc != mediaSsrc)
                continue;
            int count = nack.CopyLostSequenceNumbers(lost);
            for (int i = 0; i < count; i++)
            {
                Nacked.Enqueue(lost[i]);
                if (Unanswered?.Invoke(lost[i]) != true && _sent.TryGetValue(lost[i], out var original))
                    SendRtx(original);
            }
        }
    }

    private bool SendRtx(byte[] original)
    {
        if (!RtpPacketReader.TryParse(original, out var header, out _))
            return false;
        var payload = original.AsSpan(header.PayloadOffset);
        var rtx = new byte[header.PayloadOffset + 2 + payload.Length];
        original.AsSpan(0, header.PayloadOffset).CopyTo(rtx);
        rtx[1] = (byte)((rtx[1] & 0x80) | rtxPayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(rtx.AsSpan(2), (ushort)Interlocked.Increment(ref _rtxSequence));
        BinaryPrimitives.WriteUInt32BigEndian(rtx.AsSpan(8), rtxSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(rtx.AsSpan(header.PayloadOffset), header.SequenceNumber);
        payload.CopyTo(rtx.AsSpan(header.PayloadOffset + 2));
        Interlocked.Increment(ref _retransmitted);
        return client.SendRtp(rtx);
    }
}
