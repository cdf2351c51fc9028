using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.Auth;

namespace Gateway.Tests.Cluster;

/// <summary>
/// A real multi-process cluster started by <c>scripts/cluster.sh up</c> (three silos, regions eu/us/ap, and
/// two standalone gateways) on the Azurite of <c>RTC_TEST_AZURITE</c>, with a fresh ClusterId and ServiceId,
/// its own run directory and a port offset at which every port is free. <c>cluster.sh down</c> stops it all
/// at the end, and also when start-up fails half way.
/// </summary>
public sealed class ClusterProcessFixture : IAsyncLifetime
{
    public static readonly ApiKeyOptions Keys = new() { ApiKey = "cluster-test-key", ApiSecret = "cluster-test-secret-0123456789abcdef0123456789" };
    public static readonly string[] Regions = ["eu", "us", "ap"];
    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(180);

    /// <summary>Readiness wait given to cluster.sh: usually 20-30 s, but test projects run in parallel on 2 cores.</summary>
    public const int ReadyWaitSeconds = 150;

    private readonly string _root = RepositoryRoot();
    private readonly string _run = Path.Combine(Path.GetTempPath(), "rtc-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private int _offset;

    /// <summary>The two standalone gateways (cluster.sh's 8081 and 8082, offset applied).</summary>
    public IReadOnlyList<Uri> Gateways { get; private set; } = [];

    /// <summary>Time `up` took, for the record.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The in-silo gateway (HTTP API, /healthz) of the silo of <paramref name="region"/>.</summary>
    public Uri SiloUrl(string region) => new($"http://127.0.0.1:{8091 + Array.IndexOf(Regions, region) + _offset}");

    /// <summary>UDP media port of the silo of <paramref name="region"/>: what its SDP answers name.</summary>
    public int MediaPort(string region) => 7882 + 10 * Array.IndexOf(Regions, region) + _offset;

    /// <summary>Process id of the silo of <paramref name="region"/>, or null when it is not running.</summary>
    public int? SiloPid(string region) =>
        File.Exists(PidFile(region)) && int.TryParse(File.ReadAllText(PidFile(region)).Trim(), out int pid) ? pid : null;

    public async Task InitializeAsync()
    {
        string azurite = Environment.GetEnvironmentVariable("RTC_TEST_AZURITE")
            ?? throw new InvalidOperationException("RTC_TEST_AZURITE is not set: run the tests through ./test.sh, or `eval \"$(scripts/services.sh start)\"` first.");
        Directory.CreateDirectory(_run);
        _offset = FreeOffset();
        Gateways = [new Uri($"http://127.0.0.1:{8081 + _offset}"), new Uri($"http://127.0.0.1:{8082 + _offset}")];
        var watch = Stopwatch.StartNew();
        try
        {
            await ScriptAsync(new() { ["RTC_CLUSTER_CONNECTION_STRING"] = azurite }, "up");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
        StartupTime = watch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        try
        {
            await ScriptAsync([], "down");
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("RTC_KEEP_CLUSTER_RUN") is null) try { Directory.Delete(_run, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>SIGKILLs the silo of <paramref name="region"/> through <c>cluster.sh kill</c>, as an operator would.</summary>
    public Task KillSiloAsync(string region) => ScriptAsync([], "kill", region);

    /// <summary>
    /// SIGKILLs the silo of <paramref name="region"/>, as a crash would, and returns when the signal was sent. Done here, not
    /// through <c>cluster.sh kill</c>, so that a caller's clock starts at the kill and not ~0.1-0.8 s earlier, before a bash
    /// start-up; the pid file is removed as the script does, so <see cref="RestartSiloAsync"/> starts the silo again.
    /// </summary>
    public void KillSilo(string region)
    {
        int pid = SiloPid(region) ?? throw new InvalidOperationException($"silo {region} is not running");
        using var process = Process.GetProcessById(pid);
        process.Kill(); // SIGKILL on Unix
        File.Delete(PidFile(region));
    }

    /// <summary>Starts the silo of <paramref name="region"/> again and waits until its node is live.</summary>
    public Task RestartSiloAsync(string region) => ScriptAsync([], "start", region);

    public static string Token(string room, string identity, Grants grants) =>
        AccessTokenIssuer.Create(Keys, room, identity, grants, TimeSpan.FromMinutes(10));

    public static string AdminToken => Token(AccessTokenIssuer.AnyRoom, "cluster-test", Grants.Admin);

    /// <summary>GET /v1/nodes on a gateway: the node ids of the live nodes by region.</summary>
    public async Task<Dictionary<string, string>> LiveNodesAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/nodes");
        request.Headers.Authorization = new("Bearer", AdminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("live").GetBoolean())
            .ToDictionary(n => n.GetProperty("region").GetString()!, n => n.GetProperty("nodeId").GetString()!);
    }

    private string PidFile(string region) => Path.Combine(_run, $"silo-{region}.pid");

    private async Task ScriptAsync(Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        start.ArgumentList.Add(Path.Combine(_root, "scripts", "cluster.sh"));
        foreach (string a in args)
            start.ArgumentList.Add(a);
        start.Environment["RTC_CLUSTER_DIR"] = _run;
        start.Environment["RTC_CLUSTER_PORT_OFFSET"] = _offset.ToString();
        start.Environment["RTC_CLUSTER_WAIT"] = ReadyWaitSeconds.ToString();
        start.Environment["RTC_CLUSTER_SERVICE_ID"] = "clustertest-" + Path.GetFileName(_run)[^8..];
        start.Environment["Auth__ApiKey"] = Keys.ApiKey;
        start.Environment["Auth__ApiSecret"] = Keys.ApiSecret;
        foreach (var (key, value) in env)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cluster.sh {string.Join(' ', args)} did not finish in {ScriptTimeout.TotalSeconds} s:\n{await stderr}\n{Logs()}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}\n{Logs()}");
    }

    /// <summary>The last lines of every process log, for a failure message.</summary>
    public string LogTail() => Logs();

    private string Logs() => string.Join("\n", Directory.Exists(_run)
        ? Directory.GetFiles(_run, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{string.Join("\n", File.ReadLines(f).TakeLast(25))}")
        : []);

    /// <summary>An offset at which every port cluster.sh uses is free (TCP and UDP), so parallel runs do not collide.</summary>
    private static int FreeOffset()
    {
        int[] tcp = [8081, 8082, 8091, 8092, 8093, 11111, 11112, 11113, 30000, 30001, 30002];
        int[] udp = [7882, 7883, 7892, 7893, 7902, 7903];
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int offset = Random.Shared.Next(100, 2000);
            if (tcp.All(p => TcpFree(p + offset) && !ChromiumBlocksPort(p + offset)) && udp.All(p => UdpFree(p + offset)))
                return offset;
        }
        throw new InvalidOperationException("No free port offset found for the cluster.");
    }

    /// <summary>
    /// Chromium refuses to load pages from its restricted ports (net::ERR_UNSAFE_PORT); the browser tests open the
    /// gateways' pages, so an offset must not land one on them. The ports of that list above 1024.
    /// </summary>
    private static bool ChromiumBlocksPort(int port) => port is 1719 or 1720 or 1723 or 2049 or 3659 or 4045 or 4190
        or 5060 or 5061 or 6000 or 6566 or (>= 6665 and <= 6669) or 6679 or 6697 or 10080;

    private static bool TcpFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool UdpFree(int port)
    {
        try
        {
            using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterProcessFixture>
{
    public const string Name = "cluster";
}
