using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Auth;

namespace Benchmarks.Chaos;

/// <summary>
/// The chaos run's door to the cluster: tokens signed with the run's key pair, and HTTP calls that fail over between
/// the gateways (one may be SIGKILLed at any moment).
/// </summary>
public sealed class ChaosApi : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient[] _gateways;
    private readonly ApiKeyOptions _keys;
    private int _next;

    public ChaosApi(IReadOnlyList<string> gatewayUrls, string apiKey, string apiSecret)
    {
        _gateways = gatewayUrls.Select(u => new HttpClient { BaseAddress = new Uri(u), Timeout = TimeSpan.FromSeconds(15) }).ToArray();
        _keys = new ApiKeyOptions { ApiKey = apiKey, ApiSecret = apiSecret };
        AdminToken = AccessTokenIssuer.Create(_keys, AccessTokenIssuer.AnyRoom, "chaos-admin", Grants.Admin | Grants.Publish | Grants.Subscribe, TimeSpan.FromHours(6));
    }

    public string AdminToken { get; }

    public string Token(string room, string identity) =>
        AccessTokenIssuer.Create(_keys, room, identity, Grants.Publish | Grants.Subscribe, TimeSpan.FromHours(6));

    /// <summary>The gateways in turn: a client that just failed on one tries the other next.</summary>
    public HttpClient NextGateway() => _gateways[(int)((uint)Interlocked.Increment(ref _next) % (uint)_gateways.Length)];

    /// <summary>An admin GET, tried on each gateway in turn for up to <paramref name="within"/>.</summary>
    public async Task<T> GetAsync<T>(string path, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
                using var response = await NextGateway().SendAsync(request);
                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadFromJsonAsync<T>(Json))!;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>An admin POST with a JSON body, failing over like <see cref="GetAsync{T}"/>.</summary>
    public async Task PostAsync(string path, object body, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
                using var response = await NextGateway().SendAsync(request);
                response.EnsureSuccessStatusCode();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    public void Dispose()
    {
        foreach (var gateway in _gateways)
            gateway.Dispose();
    }
}
