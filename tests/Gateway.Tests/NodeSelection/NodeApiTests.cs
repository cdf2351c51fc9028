using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Auth;
using Grains.Interfaces.Media;

namespace Gateway.Tests.NodeSelection;

/// <summary>GET /v1/nodes and /v1/nodes/best on the real gateway, with media nodes reported to the real directory grain.</summary>
[Collection(GatewayCollection.Name)]
public sealed class NodeApiTests(GatewayFixture fixture) : IAsyncLifetime
{
    private readonly string _eu = "test-eu-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _us = "test-us-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _us2 = "test-us2-" + Guid.NewGuid().ToString("N")[..8];
    private IMediaNodeDirectoryGrain Directory => fixture.Grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key);
    private static readonly string ViewerToken = GatewayFixture.Token("some-room", "viewer", Grants.Subscribe);

    public async Task InitializeAsync()
    {
        await Directory.ReportAsync(new MediaNodeInfo(_eu, "eu", "192.0.2.10", 7882, 3, 100, 0.10, default));
        await Directory.ReportAsync(new MediaNodeInfo(_us, "us", "192.0.2.20", 7892, 5, 100, 0.10, default));
        await Directory.ReportAsync(new MediaNodeInfo(_us2, "us", "192.0.2.21", 7902, 1, 100, 0.30, default));
    }

    public async Task DisposeAsync()
    {
        foreach (string id in new[] { _eu, _us, _us2 })
            await Directory.RemoveAsync(id);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Get(string path, string? token, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await fixture.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Best_node_for_an_address_is_the_least_loaded_of_its_region_for_any_valid_token()
    {
        var (status, body) = await Get("/v1/nodes/best?ip=10.2.3.4", ViewerToken);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        body.GetProperty("node").GetProperty("nodeId").GetString().Should().Be(_us2, "fewest sessions in us");
        body.GetProperty("node").GetProperty("mediaAddress").GetString().Should().Be("192.0.2.21");
        body.GetProperty("region").GetString().Should().Be("us");
        body.GetProperty("clientRegion").GetString().Should().Be("us");
        body.GetProperty("clientAddress").GetString().Should().Be("10.2.3.4");
        body.GetProperty("reason").GetString().Should().Be("regionMatch");
    }

    [Fact]
    public async Task Without_ip_the_callers_address_counts_with_forwarded_for_from_a_trusted_proxy()
    {
        // The test client connects from 127.0.0.1, which this gateway trusts as a proxy.
        var (_, body) = await Get("/v1/nodes/best", ViewerToken, forwardedFor: "10.2.0.1, 10.1.0.9");
        body.GetProperty("clientAddress").GetString().Should().Be("10.1.0.9");
        body.GetProperty("node").GetProperty("nodeId").GetString().Should().Be(_eu);

        (_, body) = await Get("/v1/nodes/best", ViewerToken);
        body.GetProperty("clientAddress").GetString().Should().Be("127.0.0.1");
        body.GetProperty("reason").GetString().Should().Be("unknownRegion");
    }

    [Fact]
    public async Task Fallbacks_are_named_in_the_answer()
    {
        var (_, body) = await Get("/v1/nodes/best?ip=10.3.0.1", ViewerToken);
        body.GetProperty("reason").GetString().Should().Be("nearestRegion", "ap has no node; us is its configured neighbour");
        body.GetProperty("region").GetString().Should().Be("us");
        body.GetProperty("clientRegion").GetString().Should().Be("ap");

        (_, body) = await Get("/v1/nodes/best?ip=2001:db8::1", ViewerToken);
        body.GetProperty("reason").GetString().Should().Be("unknownRegion");
        body.GetProperty("node").GetProperty("nodeId").GetString().Should().Be(_us2, "least loaded overall");
        body.TryGetProperty("clientRegion", out _).Should().BeFalse("null members are omitted");
    }

    [Fact]
    public async Task Bad_input_and_missing_tokens_are_refused()
    {
        (await Get("/v1/nodes/best?ip=10.2", ViewerToken)).Status.Should().Be(HttpStatusCode.BadRequest);
        (await Get("/v1/nodes/best?ip=not-an-ip", ViewerToken)).Status.Should().Be(HttpStatusCode.BadRequest);
        (await Get("/v1/nodes/best?ip=10.2.3.4", null)).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await Get("/v1/nodes", null)).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await Get("/v1/nodes", ViewerToken)).Status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Node_list_shows_region_load_and_membership_for_admins()
    {
        var (status, body) = await Get("/v1/nodes", GatewayFixture.AdminToken);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        var nodes = body.GetProperty("nodes").EnumerateArray().ToList();
        var eu = nodes.Single(n => n.GetProperty("nodeId").GetString() == _eu);
        eu.GetProperty("region").GetString().Should().Be("eu");
        eu.GetProperty("sessions").GetInt32().Should().Be(3);
        eu.GetProperty("mediaPort").GetInt32().Should().Be(7882);
        eu.GetProperty("live").GetBoolean().Should().BeTrue();
        // The test cluster's silo runs no media node here: membership knows it, the directory does not.
        nodes.Where(n => !n.GetProperty("live").GetBoolean()).Select(n => n.GetProperty("membership").GetString()).Should().Contain("active");
    }

    [Fact]
    public async Task Without_any_node_best_is_503()
    {
        await DisposeAsync();
        var (status, body) = await Get("/v1/nodes/best?ip=10.2.3.4", ViewerToken);
        status.Should().Be(HttpStatusCode.ServiceUnavailable, body.ToString());
    }
}
