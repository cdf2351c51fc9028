using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Receiver report, RFC 3550 §6.4.2:
/// <code>
///  |V=2|P|    RC   |   PT=RR=201   |             length            |
///  |                     SSRC of packet sender                     |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |                 report blocks (RC x 24 bytes)                 |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |                  profile-specific extensions                  |
/// </code>
/// </summary>
public readonly ref struct RtcpReceiverReport
{
    private readonly ReadOnlySpan<byte> _body;

    private RtcpReceiverReport(ReadOnlySpan<byte> body, int count)
    {
        _body = body;
        ReportCount = count;
    }

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpReceiverReport report, out RtcpParseError error)
    {
        report = default;
        if (!RtcpHeader.TryReadTyped(packet, RtcpPacketType.ReceiverReport, -1, out int count, out var body, out error))
            return false;
        if (body.Length < 4 + count * RtcpReportBlock.Length)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        report = new RtcpReceiverReport(body, count);
        return true;
    }

    public uint SenderSsrc => BinaryPrimitives.ReadUInt32BigEndian(_body);

    public int ReportCount { get; }

    public RtcpReportBlock GetReportBlock(int index)
    {
        if ((uint)index >= (uint)ReportCount)
            throw new ArgumentOutOfRangeException(nameof(index));
        return RtcpReportBlock.Read(_body[(4 + index * RtcpReportBlock.Length)..]);
    }

    public static bool TryWrite(Span<byte> destination, uint senderSsrc, ReadOnlySpan<RtcpReportBlock> reports, out int written)
    {
        written = 0;
        int length = RtcpHeader.Length + 4 + reports.Length * RtcpReportBlock.Length;
        if (reports.Length > 31 || destination.Length < length)
            return false;
        RtcpHeader.Write(destination, reports.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        for (int i = 0; i < reports.Length; i++)
            reports[i].Write(destination[(8 + i * RtcpReportBlock.Length)..]);
        written = length;
        return true;
    }
}
