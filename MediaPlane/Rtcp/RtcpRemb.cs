using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Receiver Estimated Max Bitrate, draft-alvestrand-rmcat-remb-03 §2.2: PSFB (206), FMT 15
/// (application layer feedback), media SSRC 0, FCI:
/// <code>
///  |  Unique identifier 'R' 'E' 'M' 'B'                            |
///  |  Num SSRC     | BR Exp    |  BR Mantissa                      |
///  |   SSRC feedback                                               |
///  |  ...                                                          |
/// </code>
/// Bitrate (bits per second) = mantissa (18 bits) * 2^exp (6 bits).
/// </summary>
public readonly ref struct RtcpRemb
{
    public const int Format = 15;
    private static ReadOnlySpan<byte> Identifier => "REMB"u8;
    private readonly ReadOnlySpan<byte> _ssrcs;

    private RtcpRemb(uint sender, ulong bitrate, ReadOnlySpan<byte> ssrcs)
    {
        SenderSsrc = sender;
        Bitrate = bitrate;
        _ssrcs = ssrcs;
    }

    public uint SenderSsrc { get; }

    /// <summary>Bits per second.</summary>
    public ulong Bitrate { get; }

    public int SsrcCount => _ssrcs.Length / 4;

    public uint GetSsrc(int index)
    {
        if ((uint)index >= (uint)SsrcCount)
            throw new ArgumentOutOfRangeException(nameof(index));
        return BinaryPrimitives.ReadUInt32BigEndian(_ssrcs[(4 * index)..]);
    }

    /// <summary>True for a PSFB FMT 15 packet whose FCI starts with "REMB" (other ALFB uses exist).</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpRemb remb, out RtcpParseError error)
    {
        remb = default;
        if (!RtcpFeedbackHeader.TryRead(packet, RtcpPacketType.PayloadSpecificFeedback, Format, out uint sender, out _, out var fci, out error))
            return false;
        if (fci.Length < 8 || !fci[..4].SequenceEqual(Identifier))
            return RtcpHeader.Fail(RtcpParseError.WrongType, out error);
        int count = fci[4];
        if (fci.Length - 8 < 4 * count)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        int exponent = fci[5] >> 2;
        ulong mantissa = ((ulong)(fci[5] & 0x03) << 16) | ((ulong)fci[6] << 8) | fci[7];
        // Saturate rather than overflow: 18 mantissa bits shifted by up to 63.
        ulong bitrate = mantissa == 0 ? 0
            : System.Numerics.BitOperations.LeadingZeroCount(mantissa) >= exponent ? mantissa << exponent : ulong.MaxValue;
        remb = new RtcpRemb(sender, bitrate, fci.Slice(8, 4 * count));
        return true;
    }

    public static bool TryWrite(Span<byte> destination, uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs, out int written)
    {
        written = 0;
        int length = RtcpFeedbackHeader.Length + 8 + 4 * ssrcs.Length;
        if (ssrcs.Length > 255 || destination.Length < length)
            return false;
        int exponent = 0;
        while (bitrate > 0x3FFFF)
        {
            bitrate >>= 1;
            exponent++;
        }
        RtcpFeedbackHeader.Write(destination, Format, RtcpPacketType.PayloadSpecificFeedback, length, senderSsrc, 0);
        var fci = destination[RtcpFeedbackHeader.Length..];
        Identifier.CopyTo(fci);
        fci[4] = (byte)ssrcs.Length;
        fci[5] = (byte)((exponent << 2) | (int)(bitrate >> 16));
        fci[6] = (byte)(bitrate >> 8);
        fci[7] = (byte)bitrate;
        for (int i = 0; i < ssrcs.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(fci[(8 + 4 * i)..], ssrcs[i]);
        written = length;
        return true;
    }
}
