using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Silo.Hosting;
using Rtc.TestSupport;
using Rtc.TestCluster;

namespace Gateway.Tests;

/// <summary>
/// A silo on the Azure Storage profile (real Azurite) and a standalone gateway joined to it as an Orleans
/// client (<see cref="ClusterClientSetup"/>): the gateway's room WebSocket only works if its client has
/// the same Azure Queue stream provider and queues as the silo.
/// </summary>
public sealed class StandaloneGatewayTests
{
    private static readonly ApiKeyOptions Keys = new() { ApiKey = "sa-key", ApiSecret = "sa-secret-0123456789abcdef0123456789abcdef" };

    [Fact]
    public async Task A_standalone_gateway_on_azure_storage_pushes_room_notifications()
    {
        string azurite = Environment.GetEnvironmentVariable("RTC_TEST_AZURITE") is { Length: > 0 } v ? v
            : throw new InvalidOperationException("This test needs Azurite: set RTC_TEST_AZURITE (./test.sh does), e.g. 'UseDevelopmentStorage=true'.");
        string serviceId = $"gw-{Guid.NewGuid():N}"[..16], clusterId = $"c-{Guid.NewGuid():N}"[..14];
        string data = Path.Combine(Path.GetTempPath(), "gw-azure-" + Guid.NewGuid().ToString("N"));
        var certificate = new TestClusterCertificate(Path.Combine(data, "cluster.pfx"));
        await using var silo = TestSilo.Build(data, Keys, [
            "--Cluster:Provider", "AzureStorage", "--Cluster:ConnectionString", azurite,
            "--Cluster:ClusterId", clusterId, "--Cluster:ServiceId", serviceId,
            .. certificate.Arguments(),
            "--Relay:ClusterKey", Convert.ToBase64String("standalone-test-relay-cluster-k!"u8),
        ]);
        await silo.StartAsync();

        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        web.Logging.SetMinimumLevel(LogLevel.Warning);
        web.Configuration["Cluster:Provider"] = "AzureStorage";
        web.Configuration["Cluster:ConnectionString"] = azurite;
        web.Configuration["Cluster:ClusterId"] = clusterId;
        web.Configuration["Cluster:ServiceId"] = serviceId;
        web.Configuration["Auth:ApiKey"] = Keys.ApiKey;
        web.Configuration["Auth:ApiSecret"] = Keys.ApiSecret;
        web.Configuration["Cluster:CertificatePath"] = certificate.Path;
        web.Configuration["Cluster:CertificatePassword"] = certificate.Password;
        web.AddRtcClusterClient();
        web.AddRtcGateway();
        await using var gateway = web.Build();
        gateway.MapRtcGateway();
        await gateway.StartAsync();
        var baseAddress = new Uri(gateway.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        using var http = new HttpClient { BaseAddress = baseAddress };
        for (int i = 0; i < 300 && (await http.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK; i++)
            await Task.Delay(100);

        string room = "sa-" + Guid.NewGuid().ToString("N")[..8];
        string admin = AccessTokenIssuer.Create(Keys, room, "owner", Grants.Admin, TimeSpan.FromMinutes(10));
        using (var create = new HttpRequestMessage(HttpMethod.Post, "/v1/rooms") { Content = JsonContent(new { roomId = room }) })
        {
            create.Headers.Authorization = new("Bearer", admin);
            (await http.SendAsync(create)).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + admin);
        await socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/v1/rooms/{room}/events/ws"), CancellationToken.None);
        (await ReceiveAsync(socket)).GetProperty("type").GetString().Should().Be("subscribed");

        using (var join = new HttpRequestMessage(HttpMethod.Post, $"/v1/rooms/{room}/participants") { Content = JsonContent(new { identity = "alice" }) })
        {
            join.Headers.Authorization = new("Bearer", admin);
            (await http.SendAsync(join)).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        var joined = await ReceiveAsync(socket);
        joined.GetProperty("type").GetString().Should().Be("participantJoined");
        joined.GetProperty("identity").GetString().Should().Be("alice");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        await gateway.StopAsync();
        await silo.StopAsync();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[8192];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }
}
