namespace Gateway.Sdp;

public enum SdpNegotiationErrorCode
{
    MalformedSdp,
    NoMedia,
    NotBundled,
    MissingIceCredentials,
    MissingFingerprint,
    UnsupportedFingerprint,
    InvalidSetup,
    NoUsableDirection,
    UnsupportedProtocol,
    NoCommonCodec,
}

/// <summary>Why an offer was refused, with the HTTP status the WHIP/WHEP endpoint should return
/// (400 for a malformed or insecure offer, 406 when nothing offered can be served).</summary>
public sealed record SdpNegotiationError(SdpNegotiationErrorCode Code, int StatusCode, string Reason)
{
    /// <summary>Parse errors with line numbers when <see cref="Code"/> is <see cref="SdpNegotiationErrorCode.MalformedSdp"/>.</summary>
    public IReadOnlyList<SdpParseError> ParseErrors { get; init; } = [];

    internal static SdpNegotiationError BadRequest(SdpNegotiationErrorCode code, string reason) => new(code, 400, reason);

    internal static SdpNegotiationError NotAcceptable(SdpNegotiationErrorCode code, string reason) => new(code, 406, reason);

    public override string ToString() => $"{StatusCode} {Code}: {Reason}";
}
