using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Benchmarks.Load;

/// <summary>
/// Janus's HTTP API (https://janus.conf.meetecho.com/docs/rest.html): one session, a long poll that
/// delivers its events, and plugin messages whose asynchronous answer (an event with the same
/// transaction) is awaited.
/// </summary>
public sealed class JanusApi : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _poll;
    private long _sessionId;

    public JanusApi(string url) => _http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };

    public async Task StartAsync(CancellationToken ct)
    {
        var created = await PostAsync("", new JsonObject { ["janus"] = "create" }, ct);
        _sessionId = created["data"]!["id"]!.GetValue<long>();
        _poll = Task.Run(PollAsync);
    }

    public async Task<long> AttachAsync(string plugin, CancellationToken ct)
    {
        var attached = await PostAsync($"{_sessionId}", new JsonObject { ["janus"] = "attach", ["plugin"] = plugin }, ct);
        return attached["data"]!["id"]!.GetValue<long>();
    }

    /// <summary>A plugin message; returns the synchronous "success" or, after an "ack", the event answering it.</summary>
    public async Task<JsonObject> MessageAsync(long handle, JsonObject body, JsonObject? jsep, CancellationToken ct)
    {
        string transaction = Guid.NewGuid().ToString("N");
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[transaction] = waiter;
        try
        {
            var message = new JsonObject { ["janus"] = "message", ["body"] = body, ["transaction"] = transaction };
            if (jsep is not null)
                message["jsep"] = jsep;
            var response = await PostAsync($"{_sessionId}/{handle}", message, ct);
            if ((string?)response["janus"] != "ack")
                return response;
            return await waiter.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        finally
        {
            _pending.TryRemove(transaction, out _);
        }
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject request, CancellationToken ct)
    {
        request["transaction"] ??= Guid.NewGuid().ToString("N");
        using var response = await _http.PostAsJsonAsync(path, request, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct) ?? throw new InvalidOperationException("empty Janus response");
        if ((string?)body["janus"] == "error")
            throw new InvalidOperationException($"Janus: {body["error"]?.ToJsonString()}");
        return body;
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            JsonNode? events;
            try
            {
                events = await _http.GetFromJsonAsync<JsonNode>($"{_sessionId}?maxev=50&rid={Environment.TickCount64}", _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException)
            {
                await Task.Delay(100);
                continue;
            }
            foreach (var e in events is JsonArray array ? array.OfType<JsonObject>() : events is JsonObject one ? [one] : [])
            {
                if ((string?)e["janus"] == "event" && (string?)e["transaction"] is { } transaction && _pending.TryGetValue(transaction, out var waiter))
                    waiter.TrySetResult(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_sessionId != 0)
                await PostAsync($"{_sessionId}", new JsonObject { ["janus"] = "destroy" }, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
        }
        _stop.Cancel();
        if (_poll is not null)
            await _poll.ContinueWith(_ => { });
        _http.Dispose();
    }
}
