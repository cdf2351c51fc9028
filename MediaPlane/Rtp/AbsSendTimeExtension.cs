namespace MediaPlane.Rtp;

/// <summary>
/// Absolute send time header extension (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time):
/// 24 bits, the sender's clock in seconds as unsigned 6.18 fixed point, so it wraps every 64 s.
/// <code>
///   0                   1                   2                   3
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |  ID   | len=2 |              absolute send time               |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public static class AbsSendTimeExtension
{
    public const int Length = 3;

    /// <summary>One wrap of the 24-bit value: 64 s, in µs.</summary>
    public const long WrapMicros = 64_000_000;

    private const int FractionBits = 18;

    /// <summary>Reads the raw 24-bit value. False unless the element holds exactly 3 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out uint sendTime24)
    {
        sendTime24 = 0;
        if (value.Length != Length)
            return false;
        sendTime24 = ((uint)value[0] << 16) | ((uint)value[1] << 8) | value[2];
        return true;
    }

    public static bool TryRead(in RtpPacketReader packet, int id, out uint sendTime24)
    {
        sendTime24 = 0;
        return packet.TryFindExtension(id, out ReadOnlySpan<byte> value) && TryRead(value, out sendTime24);
    }

    /// <summary>The 24-bit value as µs within its 64 s wrap.</summary>
    public static long ToMicros(uint sendTime24) => ((long)(sendTime24 & 0xFFFFFF) * 1_000_000) >> FractionBits;

    /// <summary>µs (any clock) to the 24-bit value, rounded to the nearest 1/262144 s.</summary>
    public static uint FromMicros(long micros) => (uint)((((micros << FractionBits) + 500_000) / 1_000_000) & 0xFFFFFF);

    public static bool TryWrite(Span<byte> value, uint sendTime24)
    {
        if (value.Length < Length)
            return false;
        value[0] = (byte)(sendTime24 >> 16);
        value[1] = (byte)(sendTime24 >> 8);
        value[2] = (byte)sendTime24;
        return true;
    }
}
