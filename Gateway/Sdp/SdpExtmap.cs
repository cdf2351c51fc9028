namespace Gateway.Sdp;

/// <summary>a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;URI&gt; [&lt;attributes&gt;] (RFC 8285 §8). Ids 1-14 are
/// one-byte header ids, 15-255 need the two-byte form (a=extmap-allow-mixed).</summary>
public sealed record SdpExtmap(int Id, MediaDirection? Direction, string Uri, string? Attributes);
