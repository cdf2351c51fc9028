using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Benchmarks.Sfu;
using MediaPlane.Rtp;

namespace Benchmarks.Load;

/// <summary>
/// The load generator: R rooms, each with P publishers (VP8-sized video 3 x 1,200 B + Opus-sized audio
/// 160 B every 20 ms = 200 packets/s, ~1.5 Mbit/s, a send timestamp in each payload) and S subscribers,
/// against ours (WHIP/WHEP), Janus (videoroom API) or the kernel baseline. The server's CPU and memory
/// come from /proc/PID of the server process; this process's own CPU use is reported next to them so a
/// run says when the load generator, not the server, is the limit.
/// Usage: load --target ours|janus|baseline --pid PID [--url URL] [--publishers 1] [--subscribers 10]
///        [--rooms 1] [--seconds 5] [--join-parallel 4] [--rx-threads 2] [--rx-spin] [--warmup-seconds 5] [--settle-seconds 2] [--idle-seconds 3] [--json out.json]
/// </summary>
public static class LoadRun
{
    private const int VideoPayload = 1200;
    private const int AudioPayload = 160;

    public static async Task<int> RunAsync(string[] args)
    {
        string target = Arg(args, "--target") ?? "ours";
        int pid = int.Parse(Arg(args, "--pid") ?? throw new ArgumentException("--pid of the server process is required"));
        int publishers = int.Parse(Arg(args, "--publishers") ?? "1");
        int subscribers = int.Parse(Arg(args, "--subscribers") ?? "10");
        int rooms = int.Parse(Arg(args, "--rooms") ?? "1");
        double seconds = double.Parse(Arg(args, "--seconds") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        int joinParallel = int.Parse(Arg(args, "--join-parallel") ?? "4");
        string? jsonPath = Arg(args, "--json");
        // Subscribers' sockets are read by these threads (epoll), not one thread each.
        using var receiver = new EpollReceiver(int.Parse(Arg(args, "--rx-threads") ?? "2"), args.Contains("--rx-spin"));
        await using SfuTarget sfu = target switch
        {
            "ours" => new OursTarget(Arg(args, "--url") ?? "http://127.0.0.1:8080", receiver),
            "janus" => new JanusTarget(Arg(args, "--url") ?? "http://127.0.0.1:8088/janus", receiver),
            "baseline" => new BaselineTarget(Arg(args, "--url") ?? "udp://127.0.0.1:9999"),
            _ => throw new ArgumentException($"unknown --target {target}"),
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = cts.Token;
        var window = new MeasureWindow();
        long rssBefore = ProcStats.RssBytes(pid);
        Console.WriteLine($"[{target}] {rooms} room(s) x {publishers} publisher(s) x {subscribers} subscriber(s), {seconds} s measured");
        var roomIds = new List<string>();
        var pubs = new List<(int Room, MediaLeg Leg, uint AudioSsrc, uint VideoSsrc)>();
        for (int r = 0; r < rooms; r++)
        {
            roomIds.Add(await sfu.CreateRoomAsync(r, publishers, ct));
            for (int p = 0; p < publishers; p++)
            {
                uint audio = (uint)(0xA0000 + r * 256 + p), video = (uint)(0x70000 + r * 256 + p);
                pubs.Add((r, await sfu.PublishAsync(roomIds[r], r * publishers + p, audio, video, ct), audio, video));
            }
        }
        Console.WriteLine($"[{target}] publishers connected; sending");
        var sentInWindow = new long[rooms];
        using var stopSending = new CancellationTokenSource();
        var sender = new Thread(() => SendLoop(pubs, window, sentInWindow, stopSending.Token)) { IsBackground = true, Name = "publishers", Priority = ThreadPriority.AboveNormal };
        sender.Start();

        // Subscribers join while media flows, so join time runs from the request to the first media packet.
        var stats = new List<(int Room, ReceiverStats Stats)>();
        var legs = new List<MediaLeg>();
        var failures = new List<string>();
        using var gate = new SemaphoreSlim(joinParallel);
        var joinClock = Stopwatch.StartNew();
        var joins = Enumerable.Range(0, rooms * subscribers).Select(async i =>
        {
            int room = i / subscribers;
            await gate.WaitAsync(ct);
            try
            {
                var s = new ReceiverStats(window, Stopwatch.GetTimestamp());
                var leg = await sfu.SubscribeAsync(roomIds[room], i, s.OnRtp, ct);
                lock (stats)
                {
                    stats.Add((room, s));
                    legs.Add(leg);
                    if (stats.Count % 50 == 0)
                        Console.WriteLine($"[{target}] {stats.Count} subscribers joined ({joinClock.Elapsed.TotalSeconds:0.0} s)");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (failures)
                    failures.Add(e.Message.Split('\n')[0]);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(joins);
        Console.WriteLine($"[{target}] {stats.Count} joined, {failures.Count} failed, in {joinClock.Elapsed.TotalSeconds:0.0} s{(failures.Count > 0 ? ": " + failures[0] : "")}");
        // Every subscriber sees its first packet and queues settle; a JIT-compiled server (ours) also finishes
        // re-compiling its hot path (tiered compilation) here rather than inside the measured window.
        await Task.Delay(TimeSpan.FromSeconds(double.Parse(Arg(args, "--warmup-seconds") ?? "5", System.Globalization.CultureInfo.InvariantCulture)), ct);
        long rssAfterJoin = ProcStats.RssBytes(pid);

        var self = Process.GetCurrentProcess();
        var selfCpuBefore = self.TotalProcessorTime;
        double cpuBefore = ProcStats.CpuSeconds(pid);
        var wall = Stopwatch.StartNew();
        window.Open();
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
        window.Close();
        await Task.Delay(300, ct); // packets in flight
        double cpu = ProcStats.CpuSeconds(pid) - cpuBefore;
        self.Refresh();
        double selfCpu = (self.TotalProcessorTime - selfCpuBefore).TotalSeconds;
        double wallSeconds = wall.Elapsed.TotalSeconds;
        stopSending.Cancel();
        sender.Join();
        long peakRss = ProcStats.PeakRssBytes(pid);

        // Everyone leaves, then the server's own idle cost (timers, runtime housekeeping) is measured, so the
        // per-packet cost can also be quoted without it. After the load, not before: a server just started
        // (ours: JIT, tiered compilation) is still busy with its start-up, which is not its idle cost.
        Console.WriteLine($"[{target}] leaving");
        int leaveFailures = 0;
        foreach (var leg in legs.Concat(pubs.Select(p => p.Leg)))
        {
            try
            {
                await leg.DisposeAsync();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or InvalidOperationException)
            {
                leaveFailures++; // the run's numbers are still written; the server frees the session on consent timeout
            }
        }
        if (leaveFailures > 0)
            Console.WriteLine($"[{target}] {leaveFailures} of {legs.Count + pubs.Count} leaves failed; the idle CPU below may include their clean-up");
        await Task.Delay(TimeSpan.FromSeconds(double.Parse(Arg(args, "--settle-seconds") ?? "2", System.Globalization.CultureInfo.InvariantCulture)), ct);
        double idleSeconds = double.Parse(Arg(args, "--idle-seconds") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var idleBefore = ProcStats.ThreadCpuNanoseconds(pid);
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds), ct);
        double idleCores = ProcStats.CpuSecondsBetween(idleBefore, ProcStats.ThreadCpuNanoseconds(pid)) / idleClock.Elapsed.TotalSeconds;

        long expected = stats.Sum(s => Interlocked.Read(ref sentInWindow[s.Room]));
        long received = stats.Sum(s => s.Stats.Received);
        var histogram = new long[ReceiverStats.Buckets + 1];
        foreach (var (_, s) in stats)
            for (int i = 0; i < histogram.Length; i++)
                histogram[i] += s.LatencyHistogram[i];
        var joinMs = stats.Where(s => s.Stats.FirstPacketAt > 0)
            .Select(s => Stopwatch.GetElapsedTime(s.Stats.JoinStarted, s.Stats.FirstPacketAt).TotalMilliseconds).Order().ToArray();
        int totalSubscribers = rooms * subscribers;
        var result = new LoadResult
        {
            Target = target,
            Rooms = rooms,
            Publishers = publishers,
            Subscribers = subscribers,
            Seconds = window.Length.TotalSeconds,
            SentPackets = sentInWindow.Sum(),
            ExpectedPackets = expected + (totalSubscribers - stats.Count) * (sentInWindow.Sum() / Math.Max(1, rooms)),
            ReceivedPackets = received,
            ReceivedPerSecond = received / window.Length.TotalSeconds,
            ServerCpuSeconds = cpu,
            CpuSecondsPerMillionForwarded = received == 0 ? double.NaN : cpu * 1e6 / received,
            ServerIdleCores = idleCores,
            CpuSecondsPerMillionForwardedNetOfIdle = received == 0 ? double.NaN : Math.Max(0, cpu - idleCores * wallSeconds) * 1e6 / received,
            ServerPeakRssKiB = peakRss / 1024,
            ServerRssPerSubscriberKiB = (rssAfterJoin - rssBefore) / 1024.0 / Math.Max(1, totalSubscribers),
            LatencyP50Ms = ReceiverStats.Percentile(histogram, 50),
            LatencyP95Ms = ReceiverStats.Percentile(histogram, 95),
            LatencyP99Ms = ReceiverStats.Percentile(histogram, 99),
            JitterMs = stats.Count == 0 ? double.NaN : stats.Average(s => s.Stats.JitterMs),
            JoinP50Ms = Pct(joinMs, 50),
            JoinP95Ms = Pct(joinMs, 95),
            JoinFailures = failures.Count + (stats.Count - joinMs.Length),
            LoadGeneratorCores = selfCpu / wallSeconds,
            MachineCores = Environment.ProcessorCount,
            LoadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0],
        };
        result.LossPercent = result.ExpectedPackets == 0 ? 100 : Math.Max(0, result.ExpectedPackets - received) * 100.0 / result.ExpectedPackets;
        result.LoadGeneratorSaturated = result.LoadGeneratorCores > 0.9 * result.MachineCores
            || result.LoadGeneratorCores + cpu / wallSeconds > 0.95 * result.MachineCores;

        Console.WriteLine($"| target | subs | sent | received | loss | server CPU s | s per 1M fwd | latency p50/p95/p99 ms | jitter ms | join p50/p95 ms | peak RSS MiB | RSS/sub KiB | loadgen cores |");
        Console.WriteLine($"| {target} | {rooms}x{subscribers} | {result.SentPackets} | {received} | {result.LossPercent:0.00}% | {cpu:0.00} | {result.CpuSecondsPerMillionForwarded:0.0} (net of idle {result.CpuSecondsPerMillionForwardedNetOfIdle:0.0}) | " +
            $"{result.LatencyP50Ms:0.00}/{result.LatencyP95Ms:0.00}/{result.LatencyP99Ms:0.00} | {result.JitterMs:0.000} | {result.JoinP50Ms:0}/{result.JoinP95Ms:0} | " +
            $"{peakRss / 1048576.0:0} | {result.ServerRssPerSubscriberKiB:0} | {result.LoadGeneratorCores:0.00} of {result.MachineCores}{(result.LoadGeneratorSaturated ? " (machine saturated)" : "")} |");
        if (jsonPath is not null)
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }), CancellationToken.None);

        return 0;
    }

    /// <summary>Every 20 ms per publisher: one audio and three video packets, each with its send time; late ticks catch up.</summary>
    private static void SendLoop(List<(int Room, MediaLeg Leg, uint AudioSsrc, uint VideoSsrc)> pubs, MeasureWindow window, long[] sentInWindow, CancellationToken stop)
    {
        var video = new byte[12 + VideoPayload];
        var audio = new byte[12 + AudioPayload];
        var audioSeq = new ushort[pubs.Count];
        var videoSeq = new ushort[pubs.Count];
        long period = Stopwatch.Frequency / 50;
        long next = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            for (int p = 0; p < pubs.Count; p++)
            {
                var (room, leg, audioSsrc, videoSsrc) = pubs[p];
                long sentAt = Build(audio, 111, audioSeq[p]++, audioSsrc, 960);
                int counted = leg.Send(audio) && window.Contains(sentAt) ? 1 : 0;
                for (int i = 0; i < 3; i++)
                {
                    sentAt = Build(video, 96, videoSeq[p]++, videoSsrc, 3000);
                    counted += leg.Send(video) && window.Contains(sentAt) ? 1 : 0;
                }
                Interlocked.Add(ref sentInWindow[room], counted);
            }
            next += period;
            long wait = next - Stopwatch.GetTimestamp();
            if (wait > 0)
                Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
        }
    }

    private static long Build(byte[] packet, byte payloadType, ushort sequence, uint ssrc, uint timestampStep)
    {
        var writer = new RtpPacketWriter(packet);
        writer.TryBegin(false, payloadType, sequence, sequence * timestampStep, ssrc);
        long now = Stopwatch.GetTimestamp();
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(12), now);
        return now;
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p / 100))];

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

/// <summary>One run's numbers, as written to --json.</summary>
public sealed class LoadResult
{
    public string Target { get; set; } = "";
    public int Rooms { get; set; }
    public int Publishers { get; set; }
    public int Subscribers { get; set; }
    public double Seconds { get; set; }
    public long SentPackets { get; set; }
    public long ExpectedPackets { get; set; }
    public long ReceivedPackets { get; set; }
    public double ReceivedPerSecond { get; set; }
    public double LossPercent { get; set; }
    public double ServerCpuSeconds { get; set; }
    public double CpuSecondsPerMillionForwarded { get; set; }
    public double ServerIdleCores { get; set; }
    public double CpuSecondsPerMillionForwardedNetOfIdle { get; set; }
    public long ServerPeakRssKiB { get; set; }
    public double ServerRssPerSubscriberKiB { get; set; }
    public double LatencyP50Ms { get; set; }
    public double LatencyP95Ms { get; set; }
    public double LatencyP99Ms { get; set; }
    public double JitterMs { get; set; }
    public double JoinP50Ms { get; set; }
    public double JoinP95Ms { get; set; }
    public int JoinFailures { get; set; }
    public double LoadGeneratorCores { get; set; }
    public int MachineCores { get; set; }
    public bool LoadGeneratorSaturated { get; set; }
    public string LoadAverage { get; set; } = "";
}
