namespace Gateway.Sdp;

/// <summary>Mutable state the parser fills while it reads the session-level lines.</summary>
internal sealed class SessionBuilder
{
    public bool SeenVersion;
    public SdpOrigin? Origin;
    public string? SessionName;
    public (ulong, ulong) Timing;
    public SdpConnection? Connection;
    public readonly List<SdpGroup> Groups = [];
    public bool IceLite;
    public string? IceUfrag;
    public string? IcePwd;
    public readonly List<string> IceOptions = [];
    public readonly List<SdpFingerprint> Fingerprints = [];
    public SetupRole? Setup;
    public string? MsidSemantic;
    public bool ExtmapAllowMixed;
    public readonly List<SdpExtmap> Extmaps = [];
    public readonly List<MediaBuilder> Media = [];

    public SessionDescription Build() => new()
    {
        Version = 0,
        Origin = Origin!,
        SessionName = SessionName ?? "-",
        Timing = Timing,
        Connection = Connection,
        Groups = Groups.ToArray(),
        IceLite = IceLite,
        IceUfrag = IceUfrag,
        IcePwd = IcePwd,
        IceOptions = IceOptions.ToArray(),
        Fingerprints = Fingerprints.ToArray(),
        Setup = Setup,
        MsidSemantic = MsidSemantic,
        ExtmapAllowMixed = ExtmapAllowMixed,
        Extmaps = Extmaps.ToArray(),
        Media = Media.Select(m => m.Build()).ToArray(),
    };
}

/// <summary>Mutable state for one m= section while the parser reads its lines.</summary>
internal sealed class MediaBuilder
{
    public int Index;
    public MediaKind Kind;
    public string MediaType = string.Empty;
    public int Port;
    public int? PortCount;
    public string Protocol = string.Empty;
    public string[] Formats = [];
    public int[] PayloadTypes = [];
    public SdpConnection? Connection;
    public string? Mid;
    public MediaDirection? Direction;
    public readonly List<SdpMsid> Msids = [];
    public readonly List<uint> SsrcOrder = [];
    public readonly Dictionary<uint, SdpSsrc> Ssrcs = [];
    public readonly List<SdpSsrcGroup> SsrcGroups = [];
    public bool RtcpMux;
    public bool RtcpRsize;
    public bool BundleOnly;
    public readonly List<SdpRtpMap> RtpMaps = [];
    public readonly List<SdpFmtp> Fmtps = [];
    public readonly List<SdpRtcpFeedback> RtcpFeedback = [];
    public readonly List<SdpExtmap> Extmaps = [];
    public bool ExtmapAllowMixed;
    public string? IceUfrag;
    public string? IcePwd;
    public readonly List<string> IceOptions = [];
    public readonly List<SdpFingerprint> Fingerprints = [];
    public SetupRole? Setup;
    public readonly List<SdpCandidate> Candidates = [];
    public bool EndOfCandidates;
    public int? SctpPort;
    public readonly List<SdpRid> Rids = [];
    public SdpSimulcast? Simulcast;

    public bool HasPayloadType(int pt) => Array.IndexOf(PayloadTypes, pt) >= 0;

    public MediaDescription Build() => new()
    {
        Index = Index,
        Kind = Kind,
        MediaType = MediaType,
        Port = Port,
        PortCount = PortCount,
        Protocol = Protocol,
        Formats = Formats,
        PayloadTypes = PayloadTypes,
        Connection = Connection,
        Mid = Mid,
        Direction = Direction ?? MediaDirection.SendRecv,
        Msids = Msids.ToArray(),
        Ssrcs = SsrcOrder.Select(s => Ssrcs[s]).ToArray(),
        SsrcGroups = SsrcGroups.ToArray(),
        RtcpMux = RtcpMux,
        RtcpRsize = RtcpRsize,
        BundleOnly = BundleOnly,
        RtpMaps = RtpMaps.ToArray(),
        Fmtps = Fmtps.ToArray(),
        RtcpFeedback = RtcpFeedback.ToArray(),
        Extmaps = Extmaps.ToArray(),
        ExtmapAllowMixed = ExtmapAllowMixed,
        IceUfrag = IceUfrag,
        IcePwd = IcePwd,
        IceOptions = IceOptions.ToArray(),
        Fingerprints = Fingerprints.ToArray(),
        Setup = Setup,
        Candidates = Candidates.ToArray(),
        EndOfCandidates = EndOfCandidates,
        SctpPort = SctpPort,
        Rids = Rids.ToArray(),
        Simulcast = Simulcast,
    };
}
