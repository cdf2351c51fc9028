namespace MediaPlane.Recording.Timing;

/// <summary>
/// Maps one stream's RTP timestamps to wall-clock time (Unix microseconds). Until the first RTCP sender
/// report it anchors the first packet's timestamp at its arrival time; after that it uses the latest sender
/// report's NTP/RTP pair (RFC 3550 §6.4.1), which is what puts the audio and video of one participant on
/// the same clock: both streams' reports come from the sender's one wall clock.
/// Owned by the recording's thread.
/// </summary>
public sealed class SenderReportClock(int clockRate)
{
    /// <summary>Seconds from the NTP epoch (1900) to the Unix epoch (1970), RFC 868.</summary>
    private const long NtpToUnixSeconds = 2_208_988_800;

    private RtpTimestampUnwrapper _unwrapper;
    private bool _anchored;
    private long _anchorRtp;
    private long _anchorMicros;

    public int ClockRate { get; } = clockRate;

    /// <summary>True once a sender report has set the mapping.</summary>
    public bool HasSenderReport { get; private set; }

    /// <summary>Unwraps a packet's timestamp; the first one anchors the clock at its arrival until an SR arrives.</summary>
    public long OnPacket(uint rtpTimestamp, long arrivalUnixMicros)
    {
        long unwrapped = _unwrapper.Unwrap(rtpTimestamp);
        if (!_anchored)
        {
            _anchored = true;
            _anchorRtp = unwrapped;
            _anchorMicros = arrivalUnixMicros;
        }
        return unwrapped;
    }

    /// <summary>Takes a sender report's 64-bit NTP timestamp and the RTP timestamp of the same instant.</summary>
    public void OnSenderReport(ulong ntpTimestamp, uint rtpTimestamp)
    {
        long seconds = (long)(ntpTimestamp >> 32) - NtpToUnixSeconds;
        long fractionMicros = (long)(((ntpTimestamp & 0xFFFF_FFFF) * 1_000_000) >> 32);
        _anchorMicros = seconds * 1_000_000 + fractionMicros;
        _anchorRtp = _unwrapper.Peek(rtpTimestamp);
        _anchored = true;
        HasSenderReport = true;
    }

    /// <summary>Wall-clock time of an unwrapped RTP timestamp (from <see cref="OnPacket"/>).</summary>
    public long ToUnixMicros(long unwrappedRtpTimestamp) =>
        _anchorMicros + (unwrappedRtpTimestamp - _anchorRtp) * 1_000_000 / ClockRate;
}
