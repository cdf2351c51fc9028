namespace Gateway.Sdp;

/// <summary>
/// Everything the media plane and the answer need from an accepted offer: remote ICE credentials and DTLS
/// fingerprint, the DTLS roles, and per m= section the chosen codec, RTX, feedback, extensions and SSRCs.
/// </summary>
public sealed class NegotiatedSession
{
    public NegotiationMode Mode { get; init; }

    /// <summary>All offered sections in offer order; rejected ones have <see cref="NegotiatedMedia.Accepted"/> false.</summary>
    public IReadOnlyList<NegotiatedMedia> Media { get; init; } = [];

    public IEnumerable<NegotiatedMedia> AcceptedMedia => Media.Where(m => m.Accepted);

    public required string RemoteIceUfrag { get; init; }

    public required string RemoteIcePwd { get; init; }

    /// <summary>The offer's a=ice-options tokens (e.g. <c>trickle</c>).</summary>
    public IReadOnlyList<string> RemoteIceOptions { get; init; } = [];

    /// <summary>The strongest usable fingerprint; the DTLS transport checks the client's certificate against it.</summary>
    public required SdpFingerprint RemoteFingerprint { get; init; }

    /// <summary>All usable fingerprints offered (RFC 8122 §5 allows several; a match with any one suffices).</summary>
    public IReadOnlyList<SdpFingerprint> RemoteFingerprints { get; init; } = [];

    /// <summary>a=setup of the offer (actpass when absent).</summary>
    public SetupRole RemoteSetup { get; init; }

    /// <summary>Our a=setup in the answer: passive (DTLS server) unless the offer said passive.</summary>
    public SetupRole LocalSetup { get; init; }

    /// <summary>True if we open the DTLS handshake (DTLS client), i.e. <see cref="LocalSetup"/> is active.</summary>
    public bool LocalIsDtlsClient => LocalSetup == SetupRole.Active;

    /// <summary>True if the offer had a BUNDLE group; the answer then groups <see cref="BundleMids"/>.</summary>
    public bool Bundled { get; init; }

    /// <summary>Mids of accepted sections, in the offer's group order.</summary>
    public IReadOnlyList<string> BundleMids { get; init; } = [];

    public bool ExtmapAllowMixed { get; init; }
}
