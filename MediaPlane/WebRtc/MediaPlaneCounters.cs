namespace MediaPlane.WebRtc;

/// <summary>Why datagrams were dropped or what happened to them, per media node. Read for metrics and tests.</summary>
public sealed class MediaPlaneCounters
{
    internal long _unknownSource;
    internal long _unclassified;
    internal long _rtpMalformed;
    internal long _rtpUnknownSsrc;
    internal long _srtpRejected;
    internal long _rtcpMalformed;
    internal long _rtpForwarded;
    internal long _nacksAnswered;
    internal long _keyframeRequests;

    /// <summary>DTLS or SRTP from an address no session has (never nominated, or moved away).</summary>
    public long UnknownSource => Interlocked.Read(ref _unknownSource);
    /// <summary>First byte outside every RFC 7983 range we accept.</summary>
    public long Unclassified => Interlocked.Read(ref _unclassified);
    public long RtpMalformed => Interlocked.Read(ref _rtpMalformed);
    /// <summary>Authenticated RTP whose SSRC the session did not announce.</summary>
    public long RtpUnknownSsrc => Interlocked.Read(ref _rtpUnknownSsrc);
    /// <summary>SRTP/SRTCP failing authentication or replay checks, or arriving before DTLS finished.</summary>
    public long SrtpRejected => Interlocked.Read(ref _srtpRejected);
    public long RtcpMalformed => Interlocked.Read(ref _rtcpMalformed);
    public long RtpReceived => Interlocked.Read(ref _rtpForwarded);
    public long NacksAnswered => Interlocked.Read(ref _nacksAnswered);
    public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);
}
