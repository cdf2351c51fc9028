namespace Gateway.Sdp;

/// <summary>
/// A parsed SDP (RFC 8866) with the session-level attributes WebRTC uses (RFC 8829 JSEP). Produced by
/// <see cref="SdpParser"/>; attributes the parser does not know are skipped.
/// </summary>
public sealed class SessionDescription
{
    public int Version { get; init; }

    public required SdpOrigin Origin { get; init; }

    public string SessionName { get; init; } = "-";

    /// <summary>t=&lt;start&gt; &lt;stop&gt;; WebRTC always writes <c>0 0</c>.</summary>
    public (ulong Start, ulong Stop) Timing { get; init; }

    public SdpConnection? Connection { get; init; }

    /// <summary>a=group lines in order; <see cref="BundleGroup"/> picks the first BUNDLE group.</summary>
    public IReadOnlyList<SdpGroup> Groups { get; init; } = [];

    public SdpGroup? BundleGroup => Groups.FirstOrDefault(g => g.IsBundle);

    /// <summary>a=ice-lite (RFC 8839 §5.3).</summary>
    public bool IceLite { get; init; }

    public string? IceUfrag { get; init; }

    public string? IcePwd { get; init; }

    /// <summary>a=ice-options tokens, e.g. <c>trickle</c>, <c>ice2</c>.</summary>
    public IReadOnlyList<string> IceOptions { get; init; } = [];

    public IReadOnlyList<SdpFingerprint> Fingerprints { get; init; } = [];

    public SetupRole? Setup { get; init; }

    /// <summary>a=msid-semantic value as written, e.g. <c>WMS *</c> (legacy, RFC 8830 drafts).</summary>
    public string? MsidSemantic { get; init; }

    /// <summary>a=extmap-allow-mixed (RFC 8285 §6): one- and two-byte header extensions may be mixed.</summary>
    public bool ExtmapAllowMixed { get; init; }

    /// <summary>Session-level a=extmap lines (allowed by RFC 8285 §8, rare in browsers).</summary>
    public IReadOnlyList<SdpExtmap> Extmaps { get; init; } = [];

    public IReadOnlyList<MediaDescription> Media { get; init; } = [];

    /// <summary>ICE ufrag for a media section: its own a=ice-ufrag, else the session's (RFC 8839 §5.4).</summary>
    public string? EffectiveIceUfrag(MediaDescription media) => media.IceUfrag ?? IceUfrag;

    public string? EffectiveIcePwd(MediaDescription media) => media.IcePwd ?? IcePwd;

    /// <summary>Fingerprints for a media section: its own, else the session's (RFC 8122 §5).</summary>
    public IReadOnlyList<SdpFingerprint> EffectiveFingerprints(MediaDescription media) =>
        media.Fingerprints.Count > 0 ? media.Fingerprints : Fingerprints;

    public SetupRole? EffectiveSetup(MediaDescription media) => media.Setup ?? Setup;
}
