using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Common layout of feedback messages, RFC 4585 §6.1:
/// <code>
///  |V=2|P|   FMT   |       PT      |          length               |
///  |                  SSRC of packet sender                        |
///  |                  SSRC of media source                         |
///  :            Feedback Control Information (FCI)                 :
/// </code>
/// </summary>
internal static class RtcpFeedbackHeader
{
    public const int Length = 12;

    public static bool TryRead(ReadOnlySpan<byte> packet, byte packetType, int format, out uint sender, out uint media,
        out ReadOnlySpan<byte> fci, out RtcpParseError error)
    {
        sender = 0;
        media = 0;
        fci = default;
        if (!RtcpHeader.TryReadTyped(packet, packetType, format, out _, out var body, out error))
            return false;
        if (body.Length < 8)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        sender = BinaryPrimitives.ReadUInt32BigEndian(body);
        media = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        fci = body[8..];
        return true;
    }

    public static void Write(Span<byte> destination, int format, byte packetType, int totalLength, uint sender, uint media, bool padding = false)
    {
        RtcpHeader.Write(destination, format, packetType, totalLength, padding);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], sender);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], media);
    }
}
