namespace Gateway.Sdp;

/// <summary>The codec chosen for an m= section, with the offerer's payload type and fmtp (echoed in the
/// answer). RTP on this section uses <see cref="PayloadType"/>; an SFU that forwards another client's
/// stream here rewrites the payload type to this one.</summary>
public sealed record NegotiatedCodec(int PayloadType, string Name, int ClockRate, int? Channels, string? Fmtp)
{
    public string RtpMap => Channels is { } ch ? $"{Name}/{ClockRate}/{ch}" : $"{Name}/{ClockRate}";
}
