namespace Benchmarks.Control;

// The JSON the `control` subcommand writes (bench/control.sh turns it into bench/CONTROL.md).

public sealed record ControlResult
{
    public required DateTimeOffset StartedAt { get; init; }
    public required IReadOnlyList<string> Gateways { get; init; }
    /// <summary>Regions with a live node when the run started (one silo per region in cluster.sh).</summary>
    public required IReadOnlyList<string> LiveRegions { get; init; }
    public required int MachineCores { get; init; }
    public required JoinResult Join { get; init; }
    public required RestResult Rest { get; init; }
}

public sealed record JoinResult
{
    public required JoinSeries SameSilo { get; init; }
    public JoinSeries? CrossSilo { get; init; }
    /// <summary>Why the cross-silo series did not run (one silo only), null when it ran.</summary>
    public string? CrossSiloSkipped { get; init; }
    public required LoadAverageStats LoadAverage { get; init; }
}

/// <summary>
/// Join times of one placement: WHEP POST to the first media packet received. <c>Answer</c> is POST to the SDP
/// answer, <c>Connected</c> POST to ICE and DTLS done; the rest up to <c>Total</c> is the wait for forwarded media.
/// </summary>
public sealed record JoinSeries
{
    public required string Name { get; init; }
    public required string PublisherForwardedFor { get; init; }
    public required string SubscriberForwardedFor { get; init; }
    public required int Samples { get; init; }
    public required int Failures { get; init; }
    public required IReadOnlyList<string> FailureReasons { get; init; }
    /// <summary>Samples where the subscriber's node was not where the placement says (same node, or another).</summary>
    public required int WrongPlacement { get; init; }
    public required LatencySummary Total { get; init; }
    public required LatencySummary Answer { get; init; }
    public required LatencySummary Connected { get; init; }
}

public sealed record RestResult
{
    public required double Seconds { get; init; }
    public required double WarmupSeconds { get; init; }
    public required int Concurrency { get; init; }
    public required int ParticipantsPerRoom { get; init; }
    public required IReadOnlyList<OpResult> Ops { get; init; }
    /// <summary>"op: status or exception" -> count, over warm-up and the measured window.</summary>
    public required IReadOnlyDictionary<string, int> ErrorKinds { get; init; }
    public required string? FirstErrorBody { get; init; }
    /// <summary>CPU this load generator used during the window, in cores (the machine runs the cluster too).</summary>
    public required double LoadGeneratorCores { get; init; }
    public required LoadAverageStats LoadAverage { get; init; }
}

/// <summary>One REST operation in the measured window: 2xx answers per second and their latency; errors are non-2xx or failed requests.</summary>
public sealed record OpResult(string Name, long Ok, long Errors, double OkPerSecond, LatencySummary Latency);

public sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>1-minute load average (/proc/loadavg) sampled every second over a phase.</summary>
public sealed record LoadAverageStats(double Start, double Mean, double Max, double End);
