namespace Gateway.Sdp;

/// <summary>a=msid:&lt;stream id&gt; [&lt;track id&gt;] (RFC 8830 §2). A stream id of "-" means no stream.</summary>
public sealed record SdpMsid(string StreamId, string? TrackId);
