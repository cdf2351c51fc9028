using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).</summary>
public static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Bye = 203;
    public const byte App = 204;
    /// <summary>Transport-layer feedback (RFC 4585 §6.2): generic NACK (FMT 1), TWCC (FMT 15).</summary>
    public const byte TransportFeedback = 205;
    /// <summary>Payload-specific feedback (RFC 4585 §6.3): PLI (FMT 1), FIR (FMT 4), REMB (FMT 15).</summary>
    public const byte PayloadSpecificFeedback = 206;
}

/// <summary>Why an RTCP parser rejected its input.</summary>
public enum RtcpParseError
{
    None = 0,
    TooShort,
    BadVersion,
    /// <summary>The length field points past the end of the data.</summary>
    LengthOverrun,
    /// <summary>P is set but the padding count is 0 or too large.</summary>
    BadPadding,
    /// <summary>The packet type or format is not the one this parser reads.</summary>
    WrongType,
    /// <summary>The body does not hold what the header's count and the type promise.</summary>
    Malformed,
}

/// <summary>
/// The header every RTCP packet starts with (RFC 3550 §6.4.1):
/// <code>
///   0                   1                   2                   3
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |V=2|P|  count  |      PT       |   length (32-bit words - 1)   |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "count" is RC, SC, subtype or FMT depending on the packet type.
/// </summary>
public static class RtcpHeader
{
    public const int Length = 4;

    /// <summary>
    /// Validates the header of the packet at the start of <paramref name="data"/> and returns its
    /// whole length (header included) and its body (after the header, padding removed).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out int count, out byte packetType, out int packetLength,
        out ReadOnlySpan<byte> body, out RtcpParseError error)
    {
        count = 0;
        packetType = 0;
        packetLength = 0;
        body = default;
        if (data.Length < Length)
            return Fail(RtcpParseError.TooShort, out error);
        if (data[0] >> 6 != 2)
            return Fail(RtcpParseError.BadVersion, out error);
        int total = 4 * (BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + 1);
        if (total > data.Length)
            return Fail(RtcpParseError.LengthOverrun, out error);
        int padding = 0;
        if ((data[0] & 0x20) != 0)
        {
            padding = data[total - 1];
            if (padding == 0 || padding > total - Length)
                return Fail(RtcpParseError.BadPadding, out error);
        }
        count = data[0] & 0x1F;
        packetType = data[1];
        packetLength = total;
        body = data[Length..(total - padding)];
        error = RtcpParseError.None;
        return true;
    }

    /// <summary>Reads a header and checks type (and count/FMT when <paramref name="format"/> ≥ 0).</summary>
    internal static bool TryReadTyped(ReadOnlySpan<byte> data, byte expectedType, int format, out int count,
        out ReadOnlySpan<byte> body, out RtcpParseError error)
    {
        if (!TryRead(data, out count, out byte type, out _, out body, out error))
            return false;
        if (type != expectedType || (format >= 0 && count != format))
            return Fail(RtcpParseError.WrongType, out error);
        return true;
    }

    /// <summary>Writes a header for a packet of <paramref name="totalLength"/> bytes (a multiple of 4).</summary>
    public static void Write(Span<byte> destination, int count, byte packetType, int totalLength, bool padding = false)
    {
        destination[0] = (byte)(0x80 | (padding ? 0x20 : 0) | (count & 0x1F));
        destination[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(totalLength / 4 - 1));
    }

    internal static bool Fail(RtcpParseError reason, out RtcpParseError error)
    {
        error = reason;
        return false;
    }
}
