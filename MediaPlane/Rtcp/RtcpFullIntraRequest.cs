using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Full Intra Request, RFC 5104 §4.3.1: PSFB (206), FMT 4, media SSRC 0; FCI entries of
/// <code>
///  |                              SSRC                             |
///  | Seq nr.       |    Reserved                                   |
/// </code>
/// </summary>
public readonly ref struct RtcpFullIntraRequest
{
    public const int Format = 4;
    private readonly ReadOnlySpan<byte> _fci;

    private RtcpFullIntraRequest(uint sender, ReadOnlySpan<byte> fci)
    {
        SenderSsrc = sender;
        _fci = fci;
    }

    public uint SenderSsrc { get; }

    public int EntryCount => _fci.Length / 8;

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpFullIntraRequest fir, out RtcpParseError error)
    {
        fir = default;
        if (!RtcpFeedbackHeader.TryRead(packet, RtcpPacketType.PayloadSpecificFeedback, Format, out uint sender, out _, out var fci, out error))
            return false;
        if (fci.Length < 8)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        fir = new RtcpFullIntraRequest(sender, fci[..(fci.Length & ~7)]);
        return true;
    }

    public void GetEntry(int index, out uint ssrc, out byte sequenceNumber)
    {
        if ((uint)index >= (uint)EntryCount)
            throw new ArgumentOutOfRangeException(nameof(index));
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(_fci[(8 * index)..]);
        sequenceNumber = _fci[8 * index + 4];
    }

    /// <summary>One entry per media sender (ssrc, command sequence number).</summary>
    public static bool TryWrite(Span<byte> destination, uint senderSsrc, ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> sequenceNumbers, out int written)
    {
        written = 0;
        int length = RtcpFeedbackHeader.Length + 8 * ssrcs.Length;
        if (ssrcs.IsEmpty || sequenceNumbers.Length != ssrcs.Length || destination.Length < length)
            return false;
        RtcpFeedbackHeader.Write(destination, Format, RtcpPacketType.PayloadSpecificFeedback, length, senderSsrc, 0);
        for (int i = 0; i < ssrcs.Length; i++)
        {
            var entry = destination[(RtcpFeedbackHeader.Length + 8 * i)..];
            BinaryPrimitives.WriteUInt32BigEndian(entry, ssrcs[i]);
            entry[4] = sequenceNumbers[i];
            entry[5] = entry[6] = entry[7] = 0;
        }
        written = length;
        return true;
    }
}
