using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Sender report, RFC 3550 §6.4.1:
/// <code>
///  |V=2|P|    RC   |   PT=SR=200   |             length            |
///  |                         SSRC of sender                        |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |              NTP timestamp, most significant word             |
///  |             NTP timestamp, least significant word             |
///  |                         RTP timestamp                         |
///  |                     sender's packet count                     |
///  |                      sender's octet count                     |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |                 report blocks (RC x 24 bytes)                 |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |                  profile-specific extensions                  |
/// </code>
/// </summary>
public readonly ref struct RtcpSenderReport
{
    private const int SenderInfoLength = 24;
    private readonly ReadOnlySpan<byte> _body;

    private RtcpSenderReport(ReadOnlySpan<byte> body, int count)
    {
        _body = body;
        ReportCount = count;
    }

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpSenderReport report, out RtcpParseError error)
    {
        report = default;
        if (!RtcpHeader.TryReadTyped(packet, RtcpPacketType.SenderReport, -1, out int count, out var body, out error))
            return false;
        if (body.Length < SenderInfoLength + count * RtcpReportBlock.Length)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        report = new RtcpSenderReport(body, count);
        return true;
    }

    public uint SenderSsrc => BinaryPrimitives.ReadUInt32BigEndian(_body);

    /// <summary>64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low).</summary>
    public ulong NtpTimestamp => BinaryPrimitives.ReadUInt64BigEndian(_body[4..]);

    public uint RtpTimestamp => BinaryPrimitives.ReadUInt32BigEndian(_body[12..]);

    public uint PacketCount => BinaryPrimitives.ReadUInt32BigEndian(_body[16..]);

    public uint OctetCount => BinaryPrimitives.ReadUInt32BigEndian(_body[20..]);

    public int ReportCount { get; }

    public RtcpReportBlock GetReportBlock(int index)
    {
        if ((uint)index >= (uint)ReportCount)
            throw new ArgumentOutOfRangeException(nameof(index));
        return RtcpReportBlock.Read(_body[(SenderInfoLength + index * RtcpReportBlock.Length)..]);
    }

    public static bool TryWrite(Span<byte> destination, uint senderSsrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount,
        uint octetCount, ReadOnlySpan<RtcpReportBlock> reports, out int written)
    {
        written = 0;
        int length = RtcpHeader.Length + SenderInfoLength + reports.Length * RtcpReportBlock.Length;
        if (reports.Length > 31 || destination.Length < length)
            return false;
        RtcpHeader.Write(destination, reports.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], octetCount);
        for (int i = 0; i < reports.Length; i++)
            reports[i].Write(destination[(28 + i * RtcpReportBlock.Length)..]);
        written = length;
        return true;
    }
}
