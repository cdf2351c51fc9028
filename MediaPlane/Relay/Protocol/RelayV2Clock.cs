using System.Diagnostics;

namespace MediaPlane.Relay.Protocol;

/// <summary>The header's send timestamp: a monotonic clock in microseconds, truncated to 32 bits.</summary>
public static class RelayV2Clock
{
    private static readonly double TicksToMicroseconds = 1_000_000.0 / Stopwatch.Frequency;

    public static uint NowMicroseconds() => (uint)(ulong)(Stopwatch.GetTimestamp() * TicksToMicroseconds);

    /// <summary>Microseconds from <paramref name="earlier"/> to <paramref name="later"/>, across one wrap.</summary>
    public static uint Elapsed(uint earlier, uint later) => unchecked(later - earlier);
}
