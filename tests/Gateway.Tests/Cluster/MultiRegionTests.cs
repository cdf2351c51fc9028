using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.Auth;
using Rtc.TestClient;
using Xunit.Abstractions;
using MediaPlane.Contracts;

namespace Gateway.Tests.Cluster;

/// <summary>
/// Three silos in three regions behind two standalone gateways (scripts/cluster.sh): clients land on the
/// silo of their region as told by their address, X-Forwarded-For from the trusted proxy (127.0.0.1) included.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MultiRegionTests(ClusterProcessFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly OfferedTrack[] Audio = [new(MediaKind.Audio, 0x4242)];
    private readonly List<IAsyncDisposable> _opened = [];
    private readonly List<HttpClient> _clients = [];

    public Task InitializeAsync()
    {
        output.WriteLine($"cluster up in {cluster.StartupTime.TotalSeconds:F1} s; gateways {string.Join(", ", cluster.Gateways)}");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var opened in _opened)
            await opened.DisposeAsync();
        foreach (var http in _clients)
            http.Dispose();
    }

    private static HttpClient Client(Uri gateway, string? forwardedFor = null, IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler();
        if (from is not null)
        {
            // Connect from another loopback address (127.0.0.2): a peer the gateways do not trust.
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }
        var http = new HttpClient(handler) { BaseAddress = gateway };
        if (forwardedFor is not null)
            http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return http;
    }

    private static async Task<JsonElement> BestAsync(HttpClient http, string query = "")
    {
        var (status, body) = await TryBestAsync(http, query);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> TryBestAsync(HttpClient http, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/nodes/best" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClusterProcessFixture.Token("any", "probe", Grants.Subscribe));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Best_node_for_a_us_address_is_the_us_silo_on_both_gateways()
    {
        var nodes = await cluster.LiveNodesAsync(cluster.Gateways[0]);
        nodes.Keys.Should().BeEquivalentTo(ClusterProcessFixture.Regions);
        foreach (var gateway in cluster.Gateways)
        {
            using var http = Client(gateway);
            var best = await BestAsync(http, "?ip=10.2.3.4");
            best.GetProperty("region").GetString().Should().Be("us");
            best.GetProperty("reason").GetString().Should().Be("regionMatch");
            best.GetProperty("node").GetProperty("nodeId").GetString().Should().Be(nodes["us"]);
            best.GetProperty("node").GetProperty("mediaPort").GetInt32().Should().Be(cluster.MediaPort("us"));
        }
    }

    [Theory]
    [InlineData(0, "10.1.0.9", "eu")]
    [InlineData(1, "10.2.7.7", "us")]
    [InlineData(0, "192.0.2.1, 10.3.1.2", "ap")]
    public async Task A_whip_publisher_lands_on_the_silo_of_its_forwarded_region(int gatewayIndex, string forwardedFor, string region)
    {
        var nodes = await cluster.LiveNodesAsync(cluster.Gateways[gatewayIndex]);
        var http = Client(cluster.Gateways[gatewayIndex], forwardedFor);
        _clients.Add(http);
        string room = $"geo-{region}-{Guid.NewGuid():N}"[..20];
        var publisher = await WhipWhepClient.PublishAsync(http, room, ClusterProcessFixture.Token(room, "alice", Grants.Publish), Audio);
        _opened.Add(publisher);

        publisher.Answer.Candidate.Port.Should().Be(cluster.MediaPort(region), "the answer names the media port of the region's silo");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/rooms/{room}/streams");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClusterProcessFixture.AdminToken);
        using var response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var streams = JsonDocument.Parse(body).RootElement.GetProperty("streams").EnumerateArray().ToList();
        streams.Should().ContainSingle().Which.GetProperty("originSilo").GetString().Should().Be(nodes[region]);
    }

    [Fact]
    public async Task Forwarded_for_from_an_untrusted_peer_is_ignored()
    {
        using var trusted = Client(cluster.Gateways[1], "10.1.0.9");
        (await BestAsync(trusted)).GetProperty("clientAddress").GetString().Should().Be("10.1.0.9");

        using var untrusted = Client(cluster.Gateways[1], "10.1.0.9", from: IPAddress.Parse("127.0.0.2"));
        var best = await BestAsync(untrusted);
        best.GetProperty("clientAddress").GetString().Should().Be("127.0.0.2");
        best.GetProperty("reason").GetString().Should().Be("unknownRegion");
    }

    [Fact]
    public async Task Health_answers_on_every_silo_and_gateway()
    {
        using var http = new HttpClient();
        foreach (var url in ClusterProcessFixture.Regions.Select(cluster.SiloUrl).Concat(cluster.Gateways))
            (await http.GetAsync(new Uri(url, "/healthz"))).StatusCode.Should().Be(HttpStatusCode.OK, url.ToString());
        ClusterProcessFixture.Regions.Should().OnlyContain(r => cluster.SiloPid(r) != null);
    }

    [Fact]
    public async Task A_killed_silos_clients_go_to_the_nearest_region_until_it_is_back()
    {
        using var http = Client(cluster.Gateways[0]);
        int pid = cluster.SiloPid("ap")!.Value;
        await cluster.KillSiloAsync("ap");
        try
        {
            cluster.SiloPid("ap").Should().BeNull();
            // Membership declares it dead within seconds. Meanwhile a grain that lived on it (the node directory,
            // perhaps) may not answer for a moment: a 503 then is the retryable answer, not a failure.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var (status, best) = await TryBestAsync(http, "?ip=10.3.0.1");
                status.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], best.ToString());
                if (status == HttpStatusCode.OK && best.GetProperty("reason").GetString() == "nearestRegion" && best.GetProperty("region").GetString() == "us")
                    break;
                DateTime.UtcNow.Should().BeBefore(deadline, $"the killed silo must stop being chosen, and us (ap's nearest region) chosen instead: {best}");
                await Task.Delay(250);
            }
        }
        finally
        {
            await cluster.RestartSiloAsync("ap");
        }
        cluster.SiloPid("ap").Should().NotBeNull().And.NotBe(pid);
        (await BestAsync(http, "?ip=10.3.0.1")).GetProperty("reason").GetString().Should().Be("regionMatch");
    }
}
