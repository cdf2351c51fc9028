namespace Gateway.Sdp;

/// <summary>The a=ssrc:&lt;ssrc-id&gt; &lt;attribute&gt;[:&lt;value&gt;] lines of one SSRC (RFC 5576 §4.1),
/// merged: cname and the legacy per-SSRC msid. Other source attributes are ignored.</summary>
public sealed record SdpSsrc(uint Ssrc, string? Cname, string? MsidStreamId, string? MsidTrackId);
