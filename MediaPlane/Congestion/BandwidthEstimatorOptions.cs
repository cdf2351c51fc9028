namespace MediaPlane.Congestion;

/// <summary>Settings of <see cref="SendSideBandwidthEstimator"/> (documented in README.md, "Congestion control").</summary>
public sealed record BandwidthEstimatorOptions
{
    /// <summary>Where a new subscriber starts: 1 Mbit/s (Chromium starts at 300 kbit/s and probes up).</summary>
    public long InitialBitsPerSecond { get; init; } = 1_000_000;

    /// <summary>Floor: 50 kbit/s keeps audio and the lowest video layer's keyframes flowing.</summary>
    public long MinBitsPerSecond { get; init; } = 50_000;

    /// <summary>Ceiling: 20 Mbit/s, above any layer we forward.</summary>
    public long MaxBitsPerSecond { get; init; } = 20_000_000;

    /// <summary>Round-trip time assumed until the caller reports one (from RTCP RR/DLSR).</summary>
    public long InitialRoundTripMicros { get; init; } = 100_000;

    /// <summary>Largest transport-cc feedback the estimator decodes (status count); bigger ones are refused.</summary>
    public int MaxFeedbackStatuses { get; init; } = 4096;
}
