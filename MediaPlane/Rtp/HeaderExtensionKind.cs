namespace MediaPlane.Rtp;

/// <summary>The RTP header extensions the media plane reads or writes, by meaning rather than by negotiated id.</summary>
public enum HeaderExtensionKind
{
    /// <summary>RFC 8843 §15.2: the m= section's mid (written per subscriber).</summary>
    Mid,
    /// <summary>Google's abs-send-time, 24-bit 6.18 fixed-point seconds (written at send).</summary>
    AbsSendTime,
    /// <summary>draft-holmer-rmcat-transport-wide-cc-extensions-01 §2 (a per-subscriber number).</summary>
    TransportSequenceNumber,
    /// <summary>RFC 6464 client-to-mixer audio level (forwarded).</summary>
    AudioLevel,
    /// <summary>3GPP TS 26.114 §7.4.5 coordination of video orientation, "urn:3gpp:video-orientation" (forwarded).</summary>
    VideoOrientation,
    /// <summary>WebRTC playout-delay (forwarded).</summary>
    PlayoutDelay,
    /// <summary>AV1 RTP specification, appendix A: dependency descriptor (forwarded).</summary>
    DependencyDescriptor,
}
