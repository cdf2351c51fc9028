namespace Gateway.Sdp;

/// <summary>Bounds on what the parser accepts, so a hostile offer cannot cost much. The defaults fit a
/// browser offer with simulcast and dozens of tracks with room to spare (Chrome's two-track offer is ~5 KB).</summary>
public sealed record SdpLimits
{
    public static readonly SdpLimits Default = new();

    /// <summary>Largest SDP in UTF-8 bytes.</summary>
    public int MaxBytes { get; init; } = 64 * 1024;

    public int MaxLines { get; init; } = 4096;

    public int MaxLineLength { get; init; } = 4096;

    public int MaxMediaSections { get; init; } = 32;

    /// <summary>Parsing stops after this many errors.</summary>
    public int MaxErrors { get; init; } = 16;
}
