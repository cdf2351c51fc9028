using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Goodbye, RFC 3550 §6.6:
/// <code>
///  |V=2|P|    SC   |   PT=BYE=203  |             length            |
///  |                           SSRC/CSRC                           |
///  :                              ...                              :
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |     length    |               reason for leaving            ... (opt)
/// </code>
/// </summary>
public readonly ref struct RtcpBye
{
    private readonly ReadOnlySpan<byte> _body;

    private RtcpBye(ReadOnlySpan<byte> body, int count, ReadOnlySpan<byte> reason)
    {
        _body = body;
        SourceCount = count;
        Reason = reason;
    }

    public int SourceCount { get; }

    /// <summary>Reason text (UTF-8), empty if absent.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpBye bye, out RtcpParseError error)
    {
        bye = default;
        if (!RtcpHeader.TryReadTyped(packet, RtcpPacketType.Bye, -1, out int count, out var body, out error))
            return false;
        if (body.Length < 4 * count)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        ReadOnlySpan<byte> reason = default;
        var rest = body[(4 * count)..];
        if (!rest.IsEmpty)
        {
            if (rest[0] > rest.Length - 1)
                return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
            reason = rest.Slice(1, rest[0]);
        }
        bye = new RtcpBye(body, count, reason);
        return true;
    }

    public uint GetSsrc(int index)
    {
        if ((uint)index >= (uint)SourceCount)
            throw new ArgumentOutOfRangeException(nameof(index));
        return BinaryPrimitives.ReadUInt32BigEndian(_body[(4 * index)..]);
    }

    public static bool TryWrite(Span<byte> destination, ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> reason, out int written)
    {
        written = 0;
        if (ssrcs.Length > 31 || reason.Length > 255)
            return false;
        int reasonBytes = reason.IsEmpty ? 0 : (1 + reason.Length + 3) & ~3;
        int length = RtcpHeader.Length + 4 * ssrcs.Length + reasonBytes;
        if (destination.Length < length)
            return false;
        RtcpHeader.Write(destination, ssrcs.Length, RtcpPacketType.Bye, length);
        for (int i = 0; i < ssrcs.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 + 4 * i)..], ssrcs[i]);
        if (!reason.IsEmpty)
        {
            int at = 4 + 4 * ssrcs.Length;
            destination[at] = (byte)reason.Length;
            reason.CopyTo(destination[(at + 1)..]);
            destination[(at + 1 + reason.Length)..length].Clear();
        }
        written = length;
        return true;
    }
}
