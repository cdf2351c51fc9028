namespace Gateway.Sdp;

/// <summary>A problem found in an SDP: the 1-based line number (0 for the whole document) and why.</summary>
public sealed record SdpParseError(int Line, string Reason)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Reason}" : Reason;
}
