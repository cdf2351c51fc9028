using System.Buffers.Binary;
using System.Diagnostics;
using MediaPlane.Rtp;

namespace Benchmarks.Load;

/// <summary>
/// The measured window, in Stopwatch ticks of the send time written into each payload: only packets sent
/// inside it count, on both the sending and the receiving side, so packets in flight at either edge are
/// neither lost nor double counted.
/// </summary>
public sealed class MeasureWindow
{
    private long _start = long.MaxValue;
    private long _end = long.MaxValue;

    public void Open() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    public void Close() => Volatile.Write(ref _end, Stopwatch.GetTimestamp());

    public bool Contains(long sentAt) => sentAt >= Volatile.Read(ref _start) && sentAt <= Volatile.Read(ref _end);

    public TimeSpan Length => Stopwatch.GetElapsedTime(_start, _end);
}

/// <summary>
/// One subscriber's view (called on its receive thread): first packet (join time), packets in the window,
/// latency histogram in 10 µs buckets up to 200 ms, and RFC 3550 §6.4.1 interarrival jitter of the
/// send-to-receive transit time.
/// </summary>
public sealed class ReceiverStats(MeasureWindow window, long joinStarted)
{
    public const int BucketMicroseconds = 10;
    public const int Buckets = 20_000;
    private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1e6;
    private readonly int[] _latency = new int[Buckets + 1];
    private long _received;
    private long _firstPacketAt;
    private long _lastTransit = long.MinValue;
    private double _jitterTicks;

    public long JoinStarted { get; } = joinStarted;

    public long FirstPacketAt => Volatile.Read(ref _firstPacketAt);

    public long Received => Volatile.Read(ref _received);

    public double JitterMs => _jitterTicks * 1000.0 / Stopwatch.Frequency;

    public int[] LatencyHistogram => _latency;

    public void OnRtp(ReadOnlySpan<byte> packet)
    {
        long now = Stopwatch.GetTimestamp();
        if (_firstPacketAt == 0)
            Volatile.Write(ref _firstPacketAt, now);
        if (!RtpPacketReader.TryParse(packet, out var rtp, out _) || rtp.Payload.Length < 8)
            return;
        long sentAt = BinaryPrimitives.ReadInt64BigEndian(rtp.Payload);
        if (!window.Contains(sentAt))
            return;
        long transit = now - sentAt;
        if (_lastTransit != long.MinValue)
            _jitterTicks += (Math.Abs(transit - _lastTransit) - _jitterTicks) / 16;
        _lastTransit = transit;
        int bucket = (int)Math.Clamp(transit / TicksPerMicrosecond / BucketMicroseconds, 0, Buckets);
        _latency[bucket]++;
        Volatile.Write(ref _received, _received + 1);
    }

    /// <summary>The latency in ms at percentile <paramref name="p"/> of a merged histogram.</summary>
    public static double Percentile(long[] histogram, double p)
    {
        long total = histogram.Sum();
        if (total == 0)
            return double.NaN;
        long rank = (long)Math.Ceiling(total * p / 100.0);
        long seen = 0;
        for (int i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (seen >= rank)
                return (i + 0.5) * BucketMicroseconds / 1000.0;
        }
        return double.NaN;
    }
}
