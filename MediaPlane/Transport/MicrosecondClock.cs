using System.Diagnostics;

namespace MediaPlane.Transport;

/// <summary>
/// Monotonic microseconds for congestion control (send times, abs-send-time): one clock for every loop, so times taken
/// on different threads compare.
/// </summary>
public static class MicrosecondClock
{
    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;

    public static long Now() => (long)(Stopwatch.GetTimestamp() * MicrosPerTick);
}
