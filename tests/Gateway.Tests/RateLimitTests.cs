using System.Net;
using Gateway.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests;

/// <summary>
/// Issue 20 item 4 (rate limits): WHIP, WHEP and REST requests are limited per token identity and per client address
/// (the address node selection resolves behind trusted proxies), answered with 429 problem+json and Retry-After.
/// A gateway of its own with small buckets (no refill during the test) on the shared test cluster.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RateLimitTests(GatewayFixture gw) : IAsyncLifetime
{
    private const int PerIdentity = 4;
    private const int PerAddress = 10;
    private WebApplication? _app;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        web.Logging.SetMinimumLevel(LogLevel.Warning);
        web.Configuration["Auth:ApiKey"] = GatewayFixture.Keys.ApiKey;
        web.Configuration["Auth:ApiSecret"] = GatewayFixture.Keys.ApiSecret;
        web.Configuration["NodeSelection:TrustedProxies:0"] = "127.0.0.1";
        web.Configuration["RateLimits:PerIdentity:PermitLimit"] = PerIdentity.ToString();
        web.Configuration["RateLimits:PerIdentity:TokensPerPeriod"] = "1";
        web.Configuration["RateLimits:PerIdentity:ReplenishmentPeriod"] = "00:10:00";
        web.Configuration["RateLimits:PerAddress:PermitLimit"] = PerAddress.ToString();
        web.Configuration["RateLimits:PerAddress:TokensPerPeriod"] = "1";
        web.Configuration["RateLimits:PerAddress:ReplenishmentPeriod"] = "00:10:00";
        web.Services.AddSingleton(gw.Grains);
        web.AddRtcGateway();
        _app = web.Build();
        _app.MapRtcGateway();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
    }

    [Fact]
    public async Task An_identity_past_its_bucket_gets_429_with_retry_after_on_rest_and_whip_while_others_go_on()
    {
        string room = await gw.CreateRoomAsync("rl-" + Guid.NewGuid().ToString("N")[..8]);
        string alice = GatewayFixture.Token(room, "alice-" + Guid.NewGuid().ToString("N")[..6], Grants.Publish | Grants.Subscribe);
        for (int i = 0; i < PerIdentity; i++)
            (await SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/streams", alice, "10.7.0.1")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The same identity from another address is still the same bucket: REST and WHIP alike.
        var refused = await SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/streams", alice, "10.7.0.2");
        var problem = await refused.ShouldBeProblemAsync((HttpStatusCode)429);
        problem.Str("detail").Should().Contain("retry after");
        refused.Headers.RetryAfter!.Delta!.Value.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        using var offer = new HttpRequestMessage(HttpMethod.Post, $"/whip/{room}") { Content = new StringContent("v=0\r\n") };
        offer.Content.Headers.ContentType = new("application/sdp");
        offer.Headers.Authorization = new("Bearer", alice);
        offer.Headers.Add("X-Forwarded-For", "10.7.0.3");
        await (await _http.SendAsync(offer)).ShouldBeProblemAsync((HttpStatusCode)429);

        // Another identity at the same address goes on; health is never limited.
        string bob = GatewayFixture.Token(room, "bob", Grants.Subscribe);
        (await SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/streams", bob, "10.7.0.1")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _http.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_address_past_its_bucket_gets_429_whatever_tokens_it_shows_while_other_addresses_go_on()
    {
        string room = await gw.CreateRoomAsync("rl-" + Guid.NewGuid().ToString("N")[..8]);
        string address = $"10.8.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
        for (int i = 0; i < PerAddress; i++)
        {
            // A fresh identity each time (or no valid token at all): only the address bucket can stop these.
            string token = i % 2 == 0 ? GatewayFixture.Token(room, $"u{i}", Grants.Subscribe) : "garbage";
            var response = await SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/streams", token, address);
            response.StatusCode.Should().Be(i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.Unauthorized);
        }
        var refused = await SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/streams", GatewayFixture.Token(room, "fresh", Grants.Subscribe), address);
        await refused.ShouldBeProblemAsync((HttpStatusCode)429);
        refused.Headers.RetryAfter.Should().NotBeNull();
        using var whep = new HttpRequestMessage(HttpMethod.Post, $"/whep/{room}") { Content = new StringContent("v=0\r\n") };
        whep.Content.Headers.ContentType = new("application/sdp");
        whep.Headers.Add("X-Forwarded-For", address);
        await (await _http.SendAsync(whep)).ShouldBeProblemAsync((HttpStatusCode)429);

        (await SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/streams", GatewayFixture.Token(room, "fresh", Grants.Subscribe), "10.9.0.1"))
            .StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>A request as if relayed by the trusted proxy (127.0.0.1) for <paramref name="clientAddress"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string clientAddress)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return await _http.SendAsync(request);
    }
}
