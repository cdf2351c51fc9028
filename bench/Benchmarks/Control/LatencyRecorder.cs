namespace Benchmarks.Control;

/// <summary>Latencies of one operation, in milliseconds; thread-safe, summarised once at the end.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _ms = [];
    private long _errors;

    public void Add(double ms)
    {
        lock (_ms)
            _ms.Add(ms);
    }

    public void AddError() => Interlocked.Increment(ref _errors);

    public long Errors => Interlocked.Read(ref _errors);

    public int Count
    {
        get
        {
            lock (_ms)
                return _ms.Count;
        }
    }

    public LatencySummary Summary()
    {
        double[] sorted;
        lock (_ms)
            sorted = [.. _ms];
        return Summarise(sorted);
    }

    public static LatencySummary Summarise(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return new(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99), sorted.Length == 0 ? double.NaN : sorted[^1]);
    }

    /// <summary>Nearest rank: the smallest value with at least p % of the values at or below it.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(sorted.Length * p / 100) - 1, 0, sorted.Length - 1)];
}
