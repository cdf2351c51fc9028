using System.Net;
using Grains.Interfaces.Routing;

namespace Gateway.Tests.Routing;

/// <summary>GET /v1/routes on the real gateway, fed by the real route table grain of its one-silo cluster.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RouteApiTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Admin_sees_nodes_links_and_versioned_tables()
    {
        var snapshot = await fixture.Grains.GetGrain<IRouteTableGrain>(IRouteTableGrain.Key).GetTablesAsync();
        string node = snapshot.Nodes.Should().ContainSingle().Subject;
        // A report toward a node that is not a member is ignored: the one silo has no links.
        await fixture.Grains.GetGrain<IRouteTableGrain>(IRouteTableGrain.Key).ReportLinksAsync(node, [new LinkProbe("not-a-member", 5, 0, 0)]);

        var body = await (await fixture.SendAsync(HttpMethod.Get, "/v1/routes", GatewayFixture.AdminToken)).ShouldBeJsonAsync(HttpStatusCode.OK);

        body.GetProperty("version").GetInt64().Should().BeGreaterThan(0);
        body.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()).Should().Equal(node);
        body.GetProperty("links").GetArrayLength().Should().Be(0);
        var table = body.GetProperty("tables").EnumerateArray().Should().ContainSingle().Subject;
        table.GetProperty("node").GetString().Should().Be(node);
        table.GetProperty("version").GetInt64().Should().BeGreaterThan(0);
        table.GetProperty("routes").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Routes_need_the_admin_grant()
    {
        var viewer = GatewayFixture.Token("some-room", "viewer", Gateway.Auth.Grants.Subscribe);
        await (await fixture.SendAsync(HttpMethod.Get, "/v1/routes", viewer)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await fixture.SendAsync(HttpMethod.Get, "/v1/routes", null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_endpoint_is_in_the_openapi_document()
    {
        var doc = await (await fixture.Http.GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK);
        doc.GetProperty("paths").TryGetProperty("/v1/routes", out _).Should().BeTrue();
    }
}
