using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// A reception report block (RFC 3550 §6.4.1), 24 bytes:
/// <code>
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |                 SSRC_1 (SSRC of first source)                 |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  | fraction lost |       cumulative number of packets lost       |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |           extended highest sequence number received           |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                      interarrival jitter                      |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                         last SR (LSR)                         |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                   delay since last SR (DLSR)                  |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// Cumulative lost is a signed 24-bit number.
/// </summary>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequenceNumber,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Length = 24;

    public static RtcpReportBlock Read(ReadOnlySpan<byte> source)
    {
        uint lossWord = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
        int cumulative = (int)(lossWord << 8) >> 8; // sign-extend 24 bits
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            (byte)(lossWord >> 24),
            cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
    }

    public void Write(Span<byte> destination)
    {
        int cumulative = Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)cumulative & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ExtendedHighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
    }
}
