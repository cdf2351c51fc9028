namespace Gateway.Sdp;

/// <summary>URIs of the RTP header extensions (RFC 8285) the SFU understands.</summary>
public static class RtpHeaderExtensionUris
{
    /// <summary>RFC 8843 §15.2: the m= section's mid in every packet (how BUNDLE demultiplexes).</summary>
    public const string Mid = "urn:ietf:params:rtp-hdrext:sdes:mid";

    /// <summary>Google's 24-bit absolute send time, for receive-side bandwidth estimation (REMB).</summary>
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /// <summary>Transport-wide sequence numbers for transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01).</summary>
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    /// <summary>RFC 6464 client-to-mixer audio level.</summary>
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
}
