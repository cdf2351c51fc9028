using System.Diagnostics;
using System.Net;

namespace LinkEmulator;

/// <summary>
/// One directed link between two regions: decides, per datagram, whether it is lost and when it leaves.
/// Called only from the link's own receive thread (its settings are swapped whole by the config reader).
/// </summary>
public sealed class EmulatedLink(int from, int to)
{
    private readonly Random _random = new(HashCode.Combine(from, to, Environment.ProcessId));
    private long _nextFreeTicks;

    public int From { get; } = from;

    public int To { get; } = to;

    public volatile LinkSettings Settings = LinkSettings.Clear;

    public long Forwarded;
    public long Lost;
    public long QueueDropped;

    /// <summary>The learned address of <see cref="From"/>'s sender on this link (replies of the reverse link go there).</summary>
    public volatile IPEndPoint? FromEndpoint;

    /// <summary>Departure time (Stopwatch ticks) of a datagram of <paramref name="bytes"/> arriving now, or null when dropped.</summary>
    public long? Schedule(int bytes, long nowTicks)
    {
        var settings = Settings;
        if (settings.LossPercent > 0 && _random.NextDouble() * 100 < settings.LossPercent)
        {
            Interlocked.Increment(ref Lost);
            return null;
        }
        long departure = nowTicks;
        if (settings.RateKbit > 0)
        {
            long start = Math.Max(nowTicks, _nextFreeTicks);
            if (start - nowTicks > Ticks(LinkSettings.MaxQueueMilliseconds))
            {
                Interlocked.Increment(ref QueueDropped);
                return null;
            }
            _nextFreeTicks = start + Ticks(bytes * 8 / settings.RateKbit);
            departure = _nextFreeTicks;
        }
        double delay = settings.DelayMs;
        if (settings.JitterMs > 0)
            delay = Math.Max(0, delay + (_random.NextDouble() * 2 - 1) * settings.JitterMs);
        Interlocked.Increment(ref Forwarded);
        return departure + Ticks(delay);
    }

    private static long Ticks(double milliseconds) => (long)(milliseconds * Stopwatch.Frequency / 1000);
}
