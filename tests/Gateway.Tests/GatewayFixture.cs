using Grains.Interfaces.Signaling.Queues;
using Grains.SignalQueues;
using Grains.Signaling;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway;
using Gateway.Auth;
using Grains;
using Grains.Interfaces.Signaling;
using Grains.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Rtc.TestCluster;

namespace Gateway.Tests;

/// <summary>
/// One real Orleans cluster (the real grains on SQLite storage in a temp directory) and the real gateway
/// on Kestrel at 127.0.0.1 with an OS-chosen port, talking to the cluster through its client. Tests use
/// plain HttpClient over loopback, as any client would.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public static readonly ApiKeyOptions Keys = new() { ApiKey = "test-key", ApiSecret = "test-secret-0123456789abcdef0123456789abcdef" };

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "gateway-tests-" + Guid.NewGuid().ToString("N"));
    private InProcessTestCluster? _cluster;
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The cluster's client, for tests that arrange grain state directly (e.g. media node reports).</summary>
    public IGrainFactory Grains => _cluster!.Client;
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        var builder = TestClusters.Create(TestClusterFeatures.None, 1, _dataDirectory,
            client: client => client.AddSignalQueueStreams(StorageNames.StreamProvider));
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        web.Logging.SetMinimumLevel(LogLevel.Warning);
        web.Configuration["Auth:ApiKey"] = Keys.ApiKey;
        web.Configuration["Auth:ApiSecret"] = Keys.ApiSecret;
        // Node selection as NodeApiTests expect it: test networks per region, the test client as a trusted proxy.
        web.Configuration["RoomNotifications:SubscriptionCheckPeriod"] = "00:00:01"; // RoomNotificationSocketTests
        web.Configuration["NodeSelection:TrustedProxies:0"] = "127.0.0.1";
        web.Configuration["NodeSelection:Regions:eu:0"] = "10.1.0.0/16";
        web.Configuration["NodeSelection:Regions:us:0"] = "10.2.0.0/16";
        web.Configuration["NodeSelection:Regions:ap:0"] = "10.3.0.0/16";
        web.Configuration["NodeSelection:Nearest:ap:0"] = "us";
        // Same wiring as the standalone process, but with the test cluster's client.
        web.Services.AddSingleton<IGrainFactory>(_cluster.Client);
        web.Services.AddSingleton(_cluster.Client);
        web.AddRtcGateway();
        _app = web.Build();
        _app.MapRtcGateway();
        await _app.StartAsync();

        string address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    public static string Token(string room, string identity, Grants grants, TimeSpan? ttl = null) =>
        AccessTokenIssuer.Create(Keys, room, identity, grants, ttl ?? TimeSpan.FromMinutes(10));

    /// <summary>An admin token for every room: what an application backend would hold.</summary>
    public static string AdminToken => Token(AccessTokenIssuer.AnyRoom, "backend", Grants.Admin);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? json = null,
        string? rawBody = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            rawBody = JsonSerializer.Serialize(json, JsonSerializerOptions.Web);
        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return await Http.SendAsync(request);
    }

    /// <summary>Creates a room through the API with an admin token and returns its id.</summary>
    public async Task<string> CreateRoomAsync(string roomId)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/rooms", AdminToken, new { roomId });
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return roomId;
    }

    /// <summary>
    /// Everything the API can see of the deployment and of one room: room list (closed too) and the
    /// room's full log. Equal before and after a refused request means it changed nothing.
    /// </summary>
    public async Task<string> FingerprintAsync(string? roomId = null)
    {
        var list = await (await SendAsync(HttpMethod.Get, "/v1/rooms?includeClosed=true&limit=1000", AdminToken)).Content.ReadAsStringAsync();
        if (roomId is null)
            return list;
        var events = await (await SendAsync(HttpMethod.Get, $"/v1/rooms/{roomId}/events?limit=1000", AdminToken)).Content.ReadAsStringAsync();
        var state = await (await SendAsync(HttpMethod.Get, $"/v1/rooms/{roomId}/state", AdminToken)).Content.ReadAsStringAsync();
        return list + "\n" + events + "\n" + state;
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
