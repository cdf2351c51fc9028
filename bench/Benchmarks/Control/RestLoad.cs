using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Auth;

namespace Benchmarks.Control;

/// <summary>
/// Control-plane load through the gateways' REST API. Each worker repeats: create a room, join N participants
/// (an admin token naming each identity), publish one stream as the first, subscribe the others to it (each with
/// its own token), close the room. Workers start on different gateways and move to the next one every round, so
/// the load is spread over all of them. A step that fails ends the round (what follows depends on it); every
/// non-2xx answer and every failed request is counted, by operation and status.
/// </summary>
public sealed class RestLoad : IDisposable
{
    public static readonly string[] OpNames = ["create", "join", "publish", "subscribe", "close"];

    private readonly HttpClient[] _gateways;
    private readonly int _participants;
    private readonly string _adminToken;
    private readonly string[] _subscribeTokens;
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private readonly Dictionary<string, LatencyRecorder> _ops = OpNames.ToDictionary(n => n, _ => new LatencyRecorder());
    private readonly ConcurrentDictionary<string, int> _errorKinds = new();
    private string? _firstErrorBody;
    private volatile bool _measuring;

    public RestLoad(IReadOnlyList<Uri> gateways, ApiKeyOptions keys, int participants)
    {
        if (participants < 2)
            throw new ArgumentException("--participants must be at least 2 (one publisher, one subscriber)");
        _participants = participants;
        _gateways = [.. gateways.Select(g => new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) })
            { BaseAddress = g, Timeout = TimeSpan.FromSeconds(30) })];
        // Tokens for any room: identities repeat across rooms, and signing one per request would load this process.
        _adminToken = AccessTokenIssuer.Create(keys, AccessTokenIssuer.AnyRoom, "control-bench", Grants.Admin, TimeSpan.FromHours(1));
        _subscribeTokens = [.. Enumerable.Range(0, participants).Select(p => AccessTokenIssuer.Create(keys, AccessTokenIssuer.AnyRoom, Identity(p), Grants.Subscribe, TimeSpan.FromHours(1)))];
    }

    public IReadOnlyDictionary<string, LatencyRecorder> Ops => _ops;

    public IReadOnlyDictionary<string, int> ErrorKinds => _errorKinds;

    public string? FirstErrorBody => _firstErrorBody;

    /// <summary>From now on, completed operations are recorded.</summary>
    public void StartMeasuring() => _measuring = true;

    public void StopMeasuring() => _measuring = false;

    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="stop"/> is cancelled; a round in flight finishes first.</summary>
    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, stop), CancellationToken.None)));

    private static string Identity(int p) => "p" + p;

    private async Task WorkerAsync(int worker, CancellationToken stop)
    {
        for (int round = 0; !stop.IsCancellationRequested; round++)
        {
            var http = _gateways[(worker + round) % _gateways.Length];
            string room = $"ctl-{_run}-{worker}-{round}";
            if (!await CallAsync(http, "create", HttpMethod.Post, "/v1/rooms", $$"""{"roomId":"{{room}}","emptyTimeoutSeconds":60}""", _adminToken))
                continue;
            bool ok = true;
            for (int p = 0; p < _participants && ok; p++)
                ok = await CallAsync(http, "join", HttpMethod.Post, $"/v1/rooms/{room}/participants", $$"""{"identity":"{{Identity(p)}}"}""", _adminToken);
            ok = ok && await CallAsync(http, "publish", HttpMethod.Post, $"/v1/rooms/{room}/streams",
                $$"""{"streamId":"s0","identity":"{{Identity(0)}}","kind":"video","codec":"VP8","ssrcs":[{{1000 + round % 1000}}]}""", _adminToken);
            for (int p = 1; p < _participants && ok; p++)
                ok = await CallAsync(http, "subscribe", HttpMethod.Post, $"/v1/rooms/{room}/streams/s0/subscribers", null, _subscribeTokens[p]);
            await CallAsync(http, "close", HttpMethod.Delete, $"/v1/rooms/{room}", null, _adminToken);
        }
    }

    private async Task<bool> CallAsync(HttpClient http, string op, HttpMethod method, string path, string? json, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        long started = Stopwatch.GetTimestamp();
        string failure;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                if (_measuring)
                    _ops[op].Add(ms);
                return true;
            }
            failure = ((int)response.StatusCode).ToString();
            if (_firstErrorBody is null)
                Interlocked.CompareExchange(ref _firstErrorBody, $"{op} {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}", null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            failure = e.GetType().Name;
        }
        if (_measuring)
            _ops[op].AddError();
        _errorKinds.AddOrUpdate($"{op}: {failure}", 1, (_, n) => n + 1);
        return false;
    }

    public void Dispose()
    {
        foreach (var http in _gateways)
            http.Dispose();
    }
}
