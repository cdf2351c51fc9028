namespace Gateway.Sdp;

/// <summary>a=group:&lt;semantics&gt; *(SP identification-tag) (RFC 5888 §5), e.g. BUNDLE (RFC 8843).</summary>
public sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids)
{
    public bool IsBundle => Semantics.Equals("BUNDLE", StringComparison.OrdinalIgnoreCase);

    public bool Equals(SdpGroup? other) =>
        other is not null && Semantics == other.Semantics && Mids.SequenceEqual(other.Mids);

    public override int GetHashCode() => HashCode.Combine(Semantics, Mids.Count);
}
