using System.Buffers.Binary;
using System.Diagnostics;
using Gateway.Auth;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Rtp;

namespace Benchmarks.Sfu;

/// <summary>
/// One publisher (VP8-sized video ~1.44 Mbit/s + Opus-sized audio) and N subscribers on one running silo,
/// through WHIP/WHEP with our own client. The silo's CPU and memory are read from /proc for its pid, so
/// they are the server's own cost, not this process's. Latency is send-to-receive on loopback through
/// the SFU, as seen by this process (its own scheduling included).
/// Usage: sfu --url http://127.0.0.1:8080 --pid PID [--subscribers 10,50] [--seconds 10]
/// </summary>
public static class SfuLoadRun
{
    private const int VideoPayload = 1200;
    private const int AudioPayload = 160;

    public static async Task<int> RunAsync(string[] args)
    {
        string url = Arg(args, "--url") ?? "http://127.0.0.1:8080";
        int pid = int.Parse(Arg(args, "--pid") ?? throw new ArgumentException("--pid of the silo is required"));
        var counts = (Arg(args, "--subscribers") ?? "10,50").Split(',').Select(int.Parse).ToArray();
        int seconds = int.Parse(Arg(args, "--seconds") ?? "10");
        var keys = new ApiKeyOptions();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        Console.WriteLine($"| subscribers | sent pkts | forwarded pkts | loss | server CPU s | CPU µs per forwarded pkt (= s per 1M) | latency p50 / p99 ms | join p50 ms | RSS per subscriber KiB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (int n in counts)
        {
            string room = $"bench-{n}-{Guid.NewGuid().ToString("N")[..6]}";
            string Token(string identity) => AccessTokenIssuer.Create(keys, room, identity, Grants.Publish | Grants.Subscribe, TimeSpan.FromHours(1));
            await using var publisher = await WhipWhepClient.PublishAsync(http, room, Token("pub"), [new(MediaKind.Audio, 0xA0D10), new(MediaKind.Video, 0x71DE0)]);
            long rssBefore = ProcStats.RssBytes(pid);
            var subscribers = new List<WhipWhepClient>();
            var stats = new List<SubscriberStats>();
            var joins = new List<double>();
            for (int i = 0; i < n; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var s = new SubscriberStats(started);
                var client = await WhipWhepClient.SubscribeAsync(http, room, Token($"sub{i}"), [MediaKind.Audio, MediaKind.Video]);
                client.Transport.OnRtp = s.OnRtp;
                subscribers.Add(client);
                stats.Add(s);
            }
            // Joins finish on the first media packet; send a little so every subscriber sees one.
            var warmup = SendAsync(publisher, TimeSpan.FromSeconds(1), out _);
            await warmup;
            joins.AddRange(stats.Where(s => s.FirstPacketAt > 0).Select(s => Stopwatch.GetElapsedTime(s.JoinStarted, s.FirstPacketAt).TotalMilliseconds));
            foreach (var s in stats)
                s.Reset();
            long rssAfter = ProcStats.RssBytes(pid);

            var cpuBefore = ProcStats.CpuSeconds(pid);
            await SendAsync(publisher, TimeSpan.FromSeconds(seconds), out var sent);
            await Task.Delay(300); // in flight
            var cpu = ProcStats.CpuSeconds(pid) - cpuBefore;

            long expected = sent.Value * n;
            long received = stats.Sum(s => s.Packets);
            var latencies = stats.SelectMany(s => s.Latencies()).Order().ToArray();
            double loss = expected == 0 ? 0 : Math.Max(0, expected - received) * 100.0 / expected;
            Console.WriteLine($"| {n} | {sent.Value} | {received} | {loss:0.00}% | {cpu:0.00} | {cpu * 1e6 / Math.Max(1, received):0.0} | " +
                $"{Percentile(latencies, 50):0.00} / {Percentile(latencies, 99):0.00} | {Percentile(joins.Order().ToArray(), 50):0} | {(rssAfter - rssBefore) / 1024.0 / n:0} |");
            foreach (var client in subscribers)
                await client.DisposeAsync();
        }
        return 0;
    }

    private sealed class Counter
    {
        public long Value;
    }

    // Sequence numbers continue across the warm-up and the measured run: restarting them would make
    // the server's SRTP replay check drop the repeats (as it must).
    private static ushort s_videoSeq;
    private static ushort s_audioSeq;

    /// <summary>Every 20 ms: one audio packet and three video packets, each carrying its send time.</summary>
    private static Task SendAsync(WhipWhepClient publisher, TimeSpan duration, out Counter sent)
    {
        var counter = sent = new Counter();
        return Task.Run(() =>
        {
            var video = new byte[12 + VideoPayload];
            var audio = new byte[12 + AudioPayload];
            var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            long next = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() < end)
            {
                Build(audio, 111, s_audioSeq++, 0xA0D10);
                publisher.Transport.SendRtp(audio);
                for (int i = 0; i < 3; i++)
                {
                    Build(video, 96, s_videoSeq++, 0x71DE0);
                    publisher.Transport.SendRtp(video);
                }
                counter.Value += 4;
                next += Stopwatch.Frequency / 50;
                var wait = next - Stopwatch.GetTimestamp();
                if (wait > 0)
                    Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }
        });
    }

    private static void Build(byte[] packet, byte payloadType, ushort sequence, uint ssrc)
    {
        var writer = new RtpPacketWriter(packet);
        writer.TryBegin(false, payloadType, sequence, sequence * 3000u, ssrc);
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(12), Stopwatch.GetTimestamp());
    }

    private sealed class SubscriberStats(long joinStarted)
    {
        private readonly long[] _latencyTicks = new long[200_000];
        private int _count;

        public long JoinStarted { get; } = joinStarted;
        public long FirstPacketAt;
        public long Packets => Volatile.Read(ref _count);

        public void OnRtp(ReadOnlySpan<byte> packet)
        {
            long now = Stopwatch.GetTimestamp();
            if (FirstPacketAt == 0)
                FirstPacketAt = now;
            if (!RtpPacketReader.TryParse(packet, out var rtp, out _) || rtp.Payload.Length < 8)
                return;
            int i = _count;
            if (i < _latencyTicks.Length)
                _latencyTicks[i] = now - BinaryPrimitives.ReadInt64BigEndian(rtp.Payload);
            Volatile.Write(ref _count, i + 1);
        }

        public void Reset() => Volatile.Write(ref _count, 0);

        public IEnumerable<double> Latencies() => _latencyTicks.Take(Math.Min(_count, _latencyTicks.Length)).Select(t => t * 1000.0 / Stopwatch.Frequency);
    }

    private static double Percentile(double[] sorted, int p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, sorted.Length * p / 100)];

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

/// <summary>A process's CPU time and resident memory from /proc, read from outside the process.</summary>
public static class ProcStats
{
    public static double CpuSeconds(int pid)
    {
        // /proc/PID/stat fields 14 and 15 (utime, stime) in clock ticks, after the ")" of the command name.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    /// <summary>
    /// Per thread, CPU time in nanoseconds from /proc/PID/task/TID/schedstat: far finer than the 10 ms ticks of
    /// <see cref="CpuSeconds"/>, for a few seconds of a nearly idle server. Pass two snapshots to
    /// <see cref="CpuSecondsBetween"/>.
    /// </summary>
    public static Dictionary<int, long> ThreadCpuNanoseconds(int pid)
    {
        var threads = new Dictionary<int, long>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var first = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0];
                threads[int.Parse(Path.GetFileName(task))] = long.Parse(first);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread exited between listing and reading.
            }
        }
        return threads;
    }

    /// <summary>
    /// CPU seconds the threads ran between two snapshots: a thread in both counts its growth, a thread born in
    /// between all of its time. A thread that exits in between is missed for its last moments only; summing the
    /// snapshots instead would lose its whole life and can go negative (thread-pool workers retire after a load).
    /// </summary>
    public static double CpuSecondsBetween(Dictionary<int, long> before, Dictionary<int, long> after)
    {
        long nanoseconds = 0;
        foreach (var (tid, ns) in after)
            nanoseconds += ns - before.GetValueOrDefault(tid);
        return nanoseconds / 1e9;
    }

    public static long RssBytes(int pid) => StatusKiB(pid, "VmRSS:") * 1024;

    /// <summary>VmHWM: the process's peak resident set since it started.</summary>
    public static long PeakRssBytes(int pid) => StatusKiB(pid, "VmHWM:") * 1024;

    private static long StatusKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        return 0;
    }
}
