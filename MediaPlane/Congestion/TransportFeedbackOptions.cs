namespace MediaPlane.Congestion;

/// <summary>Limits of <see cref="TransportFeedbackGenerator"/> (documented in README.md, "Congestion control").</summary>
public sealed record TransportFeedbackOptions
{
    /// <summary>Feedback cadence: 50 ms, inside the 50-100 ms the draft's senders expect (Chromium: 50-250 ms).</summary>
    public long IntervalMicros { get; init; } = 50_000;

    /// <summary>Largest feedback packet: fits any path MTU after SRTCP's tag and IP/UDP headers.</summary>
    public int MaxPacketBytes { get; init; } = 1200;

    /// <summary>Most statuses in one packet; also makes a full window due before the interval.</summary>
    public int MaxStatusesPerPacket { get; init; } = 1000;

    /// <summary>Ring of arrivals (power of two): 4096 × 8 B = 32 KiB per publisher, ~1.3 s at 3,000 packets/s.</summary>
    public int Capacity { get; init; } = 4096;
}
