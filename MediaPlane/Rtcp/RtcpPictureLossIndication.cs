namespace MediaPlane.Rtcp;

/// <summary>Picture Loss Indication, RFC 4585 §6.3.1: PSFB (206), FMT 1, no FCI.</summary>
public readonly ref struct RtcpPictureLossIndication
{
    public const int Format = 1;
    public const int Length = RtcpFeedbackHeader.Length;

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    private RtcpPictureLossIndication(uint sender, uint media)
    {
        SenderSsrc = sender;
        MediaSsrc = media;
    }

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpPictureLossIndication pli, out RtcpParseError error)
    {
        pli = default;
        if (!RtcpFeedbackHeader.TryRead(packet, RtcpPacketType.PayloadSpecificFeedback, Format, out uint sender, out uint media, out _, out error))
            return false;
        pli = new RtcpPictureLossIndication(sender, media);
        return true;
    }

    public static bool TryWrite(Span<byte> destination, uint senderSsrc, uint mediaSsrc, out int written)
    {
        written = 0;
        if (destination.Length < Length)
            return false;
        RtcpFeedbackHeader.Write(destination, Format, RtcpPacketType.PayloadSpecificFeedback, Length, senderSsrc, mediaSsrc);
        written = Length;
        return true;
    }
}
