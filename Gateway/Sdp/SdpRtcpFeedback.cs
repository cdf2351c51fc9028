namespace Gateway.Sdp;

/// <summary>a=rtcp-fb:&lt;pt or *&gt; &lt;type&gt; [&lt;parameter&gt;] (RFC 4585 §4.2), e.g. <c>nack pli</c>,
/// <c>ccm fir</c>, <c>transport-cc</c>, <c>goog-remb</c>. <see cref="PayloadType"/> is null for '*'.</summary>
public sealed record SdpRtcpFeedback(int? PayloadType, string Type, string? Parameter)
{
    public bool Matches(string type, string? parameter) =>
        Type.Equals(type, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Parameter ?? string.Empty, parameter ?? string.Empty, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Parameter is null ? Type : $"{Type} {Parameter}";
}
