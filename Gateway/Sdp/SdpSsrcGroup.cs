namespace Gateway.Sdp;

/// <summary>a=ssrc-group:&lt;semantics&gt; *(SP ssrc-id) (RFC 5576 §4.2). For FID (RFC 4588 §8.1) the first
/// SSRC is the primary stream and the second its retransmission (RTX) stream.</summary>
public sealed record SdpSsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs)
{
    public bool IsFid => Semantics.Equals("FID", StringComparison.OrdinalIgnoreCase);

    public bool Equals(SdpSsrcGroup? other) =>
        other is not null && Semantics == other.Semantics && Ssrcs.SequenceEqual(other.Ssrcs);

    public override int GetHashCode() => HashCode.Combine(Semantics, Ssrcs.Count);
}
