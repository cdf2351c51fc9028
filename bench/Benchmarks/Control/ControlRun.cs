using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Auth;

namespace Benchmarks.Control;

/// <summary>
/// The control-plane benchmark against a running cluster (scripts/cluster.sh): join time (WHEP POST to the first
/// media packet) with the subscriber on the publisher's silo and on another silo, then REST throughput and
/// latency of join, publish and subscribe through the gateways. bench/control.sh runs it on one and three silos.
/// Usage: control --gateways URL1,URL2 --api-key K --api-secret S [--seconds 20] [--warmup-seconds 3]
///        [--concurrency 16] [--participants 4] [--join-samples 20] [--json out.json]
/// </summary>
public static class ControlRun
{
    // cluster.sh's client networks: 10.1.0.0/16 is eu, 10.2.0.0/16 us.
    private const string EuPublisher = "10.1.0.10", EuSubscriber = "10.1.0.20", UsSubscriber = "10.2.0.20";

    public static async Task<int> RunAsync(string[] args)
    {
        var gateways = (Arg(args, "--gateways") ?? "http://127.0.0.1:8081,http://127.0.0.1:8082")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u)).ToArray();
        var keys = new ApiKeyOptions
        {
            ApiKey = Arg(args, "--api-key") ?? throw new ArgumentException("--api-key is required (the cluster's Auth__ApiKey)"),
            ApiSecret = Arg(args, "--api-secret") ?? throw new ArgumentException("--api-secret is required (the cluster's Auth__ApiSecret)"),
        };
        double seconds = Number(args, "--seconds", 20);
        double warmup = Number(args, "--warmup-seconds", 3);
        int concurrency = (int)Number(args, "--concurrency", 16);
        int participants = (int)Number(args, "--participants", 4);
        int joinSamples = (int)Number(args, "--join-samples", 20);
        string? jsonPath = Arg(args, "--json");
        var startedAt = DateTimeOffset.UtcNow;

        var regions = await LiveRegionsAsync(gateways[0], keys);
        Console.WriteLine($"control: gateways {string.Join(' ', gateways.Select(g => g.ToString()))}; live regions: {string.Join(' ', regions)}; " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverageSampler.Read():0.00}");
        if (!regions.Contains("eu"))
            throw new InvalidOperationException("no live eu node: the same-silo join series needs one (cluster.sh starts eu first)");

        // Join time, one sample at a time.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var joinLoad = new LoadAverageSampler();
        var probe = new JoinTimeProbe(gateways, keys);
        var placements = new List<JoinPlacement> { new("same-silo", EuPublisher, EuSubscriber, SameNode: true) };
        string? crossSkipped = null;
        if (regions.Contains("us"))
            placements.Add(new("cross-silo", EuPublisher, UsSubscriber, SameNode: false));
        else
            crossSkipped = $"only {string.Join(", ", regions)} live: a {UsSubscriber} (us) subscriber would be placed on the publisher's silo, so there is no relay to measure";
        Console.WriteLine($"control: join time, {joinSamples} samples of each after 2 warm-up, alternating: " +
            string.Join("; ", placements.Select(p => $"{p.Name} (publisher {p.PublisherAddress}, subscriber {p.SubscriberAddress})")));
        if (crossSkipped is not null)
            Console.WriteLine($"control: cross-silo join skipped: {crossSkipped}");
        var series = await probe.MeasureAsync(placements, joinSamples, warmup: 2, cts.Token);
        var same = series[0];
        var cross = series.Count > 1 ? series[1] : null;
        var join = new JoinResult { SameSilo = same, CrossSilo = cross, CrossSiloSkipped = crossSkipped, LoadAverage = await joinLoad.StopAsync() };

        var rest = await RestAsync(gateways, keys, seconds, warmup, concurrency, participants, cts.Token);
        var result = new ControlResult
        {
            StartedAt = startedAt,
            Gateways = [.. gateways.Select(g => g.ToString())],
            LiveRegions = regions,
            MachineCores = Environment.ProcessorCount,
            Join = join,
            Rest = rest,
        };
        Print(result);
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(result, new JsonSerializerOptions
            {
                WriteIndented = true,
                PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            }), CancellationToken.None);
            Console.WriteLine($"control: wrote {jsonPath}");
        }
        return same.Failures + (cross?.Failures ?? 0) > 0 || rest.Ops.Any(o => o.Ok == 0) ? 1 : 0;
    }

    private static async Task<RestResult> RestAsync(Uri[] gateways, ApiKeyOptions keys, double seconds, double warmup, int concurrency, int participants, CancellationToken ct)
    {
        Console.WriteLine($"control: REST load, {concurrency} workers over {gateways.Length} gateway(s), {participants} participants a room, " +
            $"{warmup:0} s warm-up then {seconds:0} s measured");
        using var load = new RestLoad(gateways, keys, participants);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = load.RunAsync(concurrency, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(warmup), ct);

        var sampler = new LoadAverageSampler();
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var window = Stopwatch.StartNew();
        load.StartMeasuring();
        var last = new Dictionary<string, int>(RestLoad.OpNames.ToDictionary(n => n, _ => 0));
        var lastAt = TimeSpan.Zero;
        while (window.Elapsed.TotalSeconds < seconds)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, seconds - window.Elapsed.TotalSeconds + 0.001)), ct);
            var now = window.Elapsed;
            double dt = (now - lastAt).TotalSeconds;
            var rates = RestLoad.OpNames.Select(n => (n, Count: load.Ops[n].Count)).ToList();
            long errors = RestLoad.OpNames.Sum(n => load.Ops[n].Errors);
            Console.WriteLine($"  t={now.TotalSeconds,4:0} s  " + string.Join("  ", rates.Select(r => $"{r.n} {(r.Count - last[r.n]) / dt,6:0}/s")) +
                $"  errors {errors}  load {sampler.Latest:0.00}");
            foreach (var r in rates)
                last[r.n] = r.Count;
            lastAt = now;
        }
        load.StopMeasuring();
        double elapsed = window.Elapsed.TotalSeconds;
        self.Refresh();
        double cores = (self.TotalProcessorTime - cpuBefore).TotalSeconds / elapsed;
        var loadAverage = await sampler.StopAsync();
        stop.Cancel();
        await running;

        return new RestResult
        {
            Seconds = elapsed,
            WarmupSeconds = warmup,
            Concurrency = concurrency,
            ParticipantsPerRoom = participants,
            Ops = [.. RestLoad.OpNames.Select(n =>
            {
                var summary = load.Ops[n].Summary();
                return new OpResult(n, summary.Count, load.Ops[n].Errors, summary.Count / elapsed, summary);
            })],
            ErrorKinds = new SortedDictionary<string, int>(load.ErrorKinds.ToDictionary()),
            FirstErrorBody = load.FirstErrorBody,
            LoadGeneratorCores = cores,
            LoadAverage = loadAverage,
        };
    }

    private static void Print(ControlResult r)
    {
        Console.WriteLine();
        Console.WriteLine($"Live regions: {string.Join(' ', r.LiveRegions)}; {r.MachineCores} cores");
        Console.WriteLine($"{"join time (WHEP POST -> first media)",-40} {"samples",8} {"failed",7} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"answer p50",11} {"connected p50",14}");
        foreach (var s in new[] { r.Join.SameSilo, r.Join.CrossSilo })
        {
            if (s is null)
                continue;
            Console.WriteLine($"{s.Name + (s.WrongPlacement > 0 ? $" ({s.WrongPlacement} misplaced)" : ""),-40} {s.Samples,8} {s.Failures,7} {s.Total.P50Ms,8:0.0} {s.Total.P95Ms,8:0.0} {s.Total.MaxMs,8:0.0} {s.Answer.P50Ms,11:0.0} {s.Connected.P50Ms,14:0.0}");
        }
        if (r.Join.CrossSiloSkipped is { } why)
            Console.WriteLine($"{"cross-silo",-40} skipped: {why}");
        Console.WriteLine($"load average during joins: start {r.Join.LoadAverage.Start:0.00}, mean {r.Join.LoadAverage.Mean:0.00}, max {r.Join.LoadAverage.Max:0.00}");
        Console.WriteLine();
        Console.WriteLine($"REST ({r.Rest.Concurrency} workers, {r.Rest.Seconds:0.0} s)          {"ok",8} {"errors",7} {"ok/s",8} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var o in r.Rest.Ops)
            Console.WriteLine($"{o.Name,-40} {o.Ok,8} {o.Errors,7} {o.OkPerSecond,8:0.0} {o.Latency.P50Ms,8:0.0} {o.Latency.P99Ms,8:0.0} {o.Latency.MaxMs,8:0.0}");
        Console.WriteLine($"load average during REST: start {r.Rest.LoadAverage.Start:0.00}, mean {r.Rest.LoadAverage.Mean:0.00}, max {r.Rest.LoadAverage.Max:0.00}; " +
            $"this load generator used {r.Rest.LoadGeneratorCores:0.00} cores");
        foreach (var (kind, count) in r.Rest.ErrorKinds)
            Console.WriteLine($"  error {kind}: {count}");
        if (r.Rest.FirstErrorBody is { } body)
            Console.WriteLine($"  first error: {body}");
    }

    private static async Task<IReadOnlyList<string>> LiveRegionsAsync(Uri gateway, ApiKeyOptions keys)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/nodes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            AccessTokenIssuer.Create(keys, AccessTokenIssuer.AnyRoom, "control-bench", Grants.Admin, TimeSpan.FromMinutes(5)));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("live").GetBoolean() && n.TryGetProperty("region", out var r) && r.ValueKind == JsonValueKind.String)
            .Select(n => n.GetProperty("region").GetString()!).Distinct().Order()];
    }

    private static double Number(string[] args, string name, double fallback) =>
        Arg(args, name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
