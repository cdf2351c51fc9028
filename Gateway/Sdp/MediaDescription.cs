namespace Gateway.Sdp;

/// <summary>One m= section (RFC 8866 §5.14) and the attributes that follow it.</summary>
public sealed class MediaDescription
{
    /// <summary>Position of the section in the SDP, from 0; an answer keeps the offer's order.</summary>
    public int Index { get; init; }

    public MediaKind Kind { get; init; }

    /// <summary>The media field as written, e.g. <c>audio</c>, <c>video</c>, <c>application</c>.</summary>
    public required string MediaType { get; init; }

    /// <summary>Port; 0 rejects the section (RFC 3264 §6), 9 is the JSEP placeholder.</summary>
    public int Port { get; init; }

    public int? PortCount { get; init; }

    /// <summary>Transport protocol, e.g. <c>UDP/TLS/RTP/SAVPF</c> or <c>UDP/DTLS/SCTP</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The m= line's format list as written.</summary>
    public IReadOnlyList<string> Formats { get; init; } = [];

    /// <summary>The format list as RTP payload types (0-127) when <see cref="IsRtp"/>, else empty.</summary>
    public IReadOnlyList<int> PayloadTypes { get; init; } = [];

    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.OrdinalIgnoreCase);

    public SdpConnection? Connection { get; init; }

    public string? Mid { get; init; }

    public MediaDirection Direction { get; init; } = MediaDirection.SendRecv;

    public IReadOnlyList<SdpMsid> Msids { get; init; } = [];

    public IReadOnlyList<SdpSsrc> Ssrcs { get; init; } = [];

    public IReadOnlyList<SdpSsrcGroup> SsrcGroups { get; init; } = [];

    public bool RtcpMux { get; init; }

    public bool RtcpRsize { get; init; }

    /// <summary>a=bundle-only (RFC 8843 §6).</summary>
    public bool BundleOnly { get; init; }

    public IReadOnlyList<SdpRtpMap> RtpMaps { get; init; } = [];

    public IReadOnlyList<SdpFmtp> Fmtps { get; init; } = [];

    public IReadOnlyList<SdpRtcpFeedback> RtcpFeedback { get; init; } = [];

    public IReadOnlyList<SdpExtmap> Extmaps { get; init; } = [];

    public bool ExtmapAllowMixed { get; init; }

    public string? IceUfrag { get; init; }

    public string? IcePwd { get; init; }

    public IReadOnlyList<string> IceOptions { get; init; } = [];

    public IReadOnlyList<SdpFingerprint> Fingerprints { get; init; } = [];

    public SetupRole? Setup { get; init; }

    public IReadOnlyList<SdpCandidate> Candidates { get; init; } = [];

    public bool EndOfCandidates { get; init; }

    /// <summary>a=sctp-port (RFC 8841) for a data channel section.</summary>
    public int? SctpPort { get; init; }

    /// <summary>a=rid lines (RFC 8851), in offer order.</summary>
    public IReadOnlyList<SdpRid> Rids { get; init; } = [];

    /// <summary>a=simulcast (RFC 8853), if present.</summary>
    public SdpSimulcast? Simulcast { get; init; }

    /// <summary>True if the section carries a=rid or a=simulcast lines.</summary>
    public bool HasSimulcast => Rids.Count > 0 || Simulcast is not null;

    public SdpRtpMap? RtpMap(int payloadType) => RtpMaps.FirstOrDefault(r => r.PayloadType == payloadType);

    public SdpFmtp? Fmtp(int payloadType) => Fmtps.FirstOrDefault(f => f.PayloadType == payloadType);

    /// <summary>Feedback that applies to a payload type: lines for it and lines for '*'.</summary>
    public IEnumerable<SdpRtcpFeedback> FeedbackFor(int payloadType) =>
        RtcpFeedback.Where(f => f.PayloadType is null || f.PayloadType == payloadType);
}
