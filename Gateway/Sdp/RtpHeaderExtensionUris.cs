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

    /// <summary>RFC 8852 §3.1: the RID of a simulcast stream in every packet (how a layer without a=ssrc is found).</summary>
    public const string RtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";

    /// <summary>RFC 8852 §3.2: in an RTX packet, the RID of the stream it repairs.</summary>
    public const string RepairedRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    /// <summary>RFC 6464 client-to-mixer audio level.</summary>
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    /// <summary>3GPP TS 26.114 §7.4.5: the camera's rotation, forwarded to subscribers.</summary>
    public const string VideoOrientation = "urn:3gpp:video-orientation";

    /// <summary>WebRTC's playout-delay limits from the sender, forwarded to subscribers.</summary>
    public const string PlayoutDelay = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

    /// <summary>AV1 RTP specification appendix A: the dependency descriptor (SVC structure), forwarded to subscribers.</summary>
    public const string DependencyDescriptor = "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";
}
