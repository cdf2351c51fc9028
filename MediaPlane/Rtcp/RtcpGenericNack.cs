using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Generic NACK, RFC 4585 §6.2.1: RTPFB (205), FMT 1; FCI is one or more of
/// <code>
///   0                   1                   2                   3
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |            PID                |             BLP               |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// PID is a lost sequence number; bit i of BLP (LSB = bit 0) means PID + i + 1 is lost too.
/// </summary>
public readonly ref struct RtcpGenericNack
{
    public const int Format = 1;
    private readonly ReadOnlySpan<byte> _fci;

    private RtcpGenericNack(uint sender, uint media, ReadOnlySpan<byte> fci)
    {
        SenderSsrc = sender;
        MediaSsrc = media;
        _fci = fci;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public int ItemCount => _fci.Length / 4;

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpGenericNack nack, out RtcpParseError error)
    {
        nack = default;
        if (!RtcpFeedbackHeader.TryRead(packet, RtcpPacketType.TransportFeedback, Format, out uint sender, out uint media, out var fci, out error))
            return false;
        if (fci.Length < 4)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        nack = new RtcpGenericNack(sender, media, fci[..(fci.Length & ~3)]);
        return true;
    }

    public void GetItem(int index, out ushort packetId, out ushort lostBitmask)
    {
        if ((uint)index >= (uint)ItemCount)
            throw new ArgumentOutOfRangeException(nameof(index));
        packetId = BinaryPrimitives.ReadUInt16BigEndian(_fci[(4 * index)..]);
        lostBitmask = BinaryPrimitives.ReadUInt16BigEndian(_fci[(4 * index + 2)..]);
    }

    /// <summary>
    /// Every lost sequence number of the packet into <paramref name="destination"/> (at most 17 per
    /// item). Returns how many were written; stops early when the destination is full.
    /// </summary>
    public int CopyLostSequenceNumbers(Span<ushort> destination)
    {
        int total = 0;
        for (int i = 0; i < ItemCount; i++)
        {
            GetItem(i, out ushort pid, out ushort blp);
            total += GetLostSequenceNumbers(pid, blp, destination[total..]);
        }
        return total;
    }

    /// <summary>The sequence numbers one PID/BLP pair names, in order (wrapping at 65535).</summary>
    public static int GetLostSequenceNumbers(ushort packetId, ushort lostBitmask, Span<ushort> destination)
    {
        if (destination.IsEmpty)
            return 0;
        int count = 0;
        destination[count++] = packetId;
        for (int bit = 0; bit < 16 && count < destination.Length; bit++)
        {
            if ((lostBitmask & (1 << bit)) != 0)
                destination[count++] = (ushort)(packetId + bit + 1);
        }
        return count;
    }

    /// <summary>
    /// Packs lost sequence numbers (in increasing order, wrapping allowed) into PID/BLP items.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lost, out int written)
    {
        written = 0;
        if (lost.IsEmpty || destination.Length < RtcpFeedbackHeader.Length)
            return false;
        int offset = RtcpFeedbackHeader.Length;
        int i = 0;
        while (i < lost.Length)
        {
            if (destination.Length - offset < 4)
                return false;
            ushort pid = lost[i++];
            ushort blp = 0;
            while (i < lost.Length)
            {
                int distance = (ushort)(lost[i] - pid);
                if (distance is < 1 or > 16)
                    break;
                blp |= (ushort)(1 << (distance - 1));
                i++;
            }
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], pid);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], blp);
            offset += 4;
        }
        RtcpFeedbackHeader.Write(destination, Format, RtcpPacketType.TransportFeedback, offset, senderSsrc, mediaSsrc);
        written = offset;
        return true;
    }
}
