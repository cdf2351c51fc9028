using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Auth;
using Gateway.Tests.Browser;
using Gateway.Tests.WebRtc;
using Grains.Interfaces.Media;
using Grains.Interfaces.Routing;
using MediaPlane.Contracts;
using MediaPlane.WebRtc;
using Microsoft.Playwright;
using Rtc.TestClient;
using Xunit.Abstractions;

namespace Gateway.Tests.Observability;

/// <summary>
/// The operator console (/ops) and the route topology page (/ops/routes) in headless Chromium against a two-silo
/// cluster behind the gateway: a publisher and a viewer made with our C# client, links reported to the route grain as
/// the silos' own probers measure. Screenshots are kept under the test output directory (ops-artifacts/).
/// </summary>
public sealed class OpsConsoleTests(TwoSiloFixture cluster, ITestOutputHelper output) : IClassFixture<TwoSiloFixture>
{
    private static readonly string ArtifactDirectory = Path.Combine(AppContext.BaseDirectory, "ops-artifacts");

    private static string Admin => AccessTokenIssuer.Create(SiloProcessFixture.Keys, AccessTokenIssuer.AnyRoom, "ops", Grants.Admin, TimeSpan.FromMinutes(10));

    private static string Token(string room, string identity, Grants grants) =>
        AccessTokenIssuer.Create(SiloProcessFixture.Keys, room, identity, grants, TimeSpan.FromMinutes(10));

    [Fact]
    public async Task The_sessions_endpoint_tells_where_each_session_lives_and_needs_the_admin_grant()
    {
        string room = "ops-api-" + Guid.NewGuid().ToString("N")[..8];
        await using var publisher = await WhipWhepClient.PublishAsync(cluster.Http, room, Token(room, "alice", Grants.Publish), [new(MediaKind.Audio, 0x3333)]);
        string sessionId = publisher.Location!.Segments[^1];
        var info = await cluster.Grains.GetGrain<IClientSessionGrain>(sessionId).GetAsync();

        using var forbidden = await SendAsync("/v1/ops/sessions", Token(room, "alice", Grants.Publish));
        forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var response = await SendAsync("/v1/ops/sessions", Admin);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var session = body.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == sessionId);
        session.GetProperty("roomId").GetString().Should().Be(room);
        session.GetProperty("identity").GetString().Should().Be("alice");
        session.GetProperty("kind").GetString().Should().Be("publish");
        session.GetProperty("nodeId").GetString().Should().Be(info!.NodeId);
        session.GetProperty("region").GetString().Should().StartWith("region-");
        body.GetProperty("truncated").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task The_console_shows_nodes_and_a_room_with_where_each_session_lives_and_the_routes_page_draws_the_cluster()
    {
        Directory.CreateDirectory(ArtifactDirectory);
        string room = "ops-" + Guid.NewGuid().ToString("N")[..8];
        await using var publisher = await WhipWhepClient.PublishAsync(cluster.Http, room, Token(room, "alice", Grants.Publish), [new(MediaKind.Video, 0x4444)]);
        await using var viewer = await WhipWhepClient.SubscribeAsync(cluster.Http, room, Token(room, "bob", Grants.Subscribe), [MediaKind.Video]);
        string aliceNode = (await cluster.Grains.GetGrain<IClientSessionGrain>(publisher.Location!.Segments[^1]).GetAsync())!.NodeId;
        string bobNode = (await cluster.Grains.GetGrain<IClientSessionGrain>(viewer.Location!.Segments[^1]).GetAsync())!.NodeId;

        // The two silos' own relay probers measure each other about once a second and report to the route grain
        // (issue 22): the page draws those live measurements.
        var routes = cluster.Grains.GetGrain<IRouteTableGrain>(IRouteTableGrain.Key);
        var nodes = (await routes.GetTablesAsync()).Nodes;
        nodes.Should().HaveCount(2);
        await RenderBothPagesAsync(room, aliceNode, bobNode);
    }

    private async Task RenderBothPagesAsync(string room, string aliceNode, string bobNode)
    {
        Assertions.SetDefaultExpectTimeout(15_000); // a loaded CI machine; the pages poll every 2 s
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = DemoPageTests.ChromiumArgs });
        var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } })).NewPageAsync();
        var errors = new List<string>();
        // Script errors only: the console's optional GET /v1/recordings answers 404 here, which Chromium logs too.
        page.PageError += (_, e) => { lock (errors) errors.Add(e); };
        string fragment = "#token=" + Admin;

        await page.GotoAsync(new Uri(cluster.Http.BaseAddress!, "/ops" + fragment).ToString());
        var nodeRows = page.Locator("#nodes tbody tr[data-node]");
        await Assertions.Expect(nodeRows).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#nodes tbody tr[data-node] td:nth-child(3)").First).ToHaveTextAsync("active");
        var alice = page.Locator($"[data-room=\"{room}\"] tr[data-participant=\"alice\"]");
        var bob = page.Locator($"[data-room=\"{room}\"] tr[data-participant=\"bob\"]");
        await Assertions.Expect(alice).ToContainTextAsync("node " + aliceNode.Split('@')[0], new() { Timeout = 20_000 });
        await Assertions.Expect(alice).ToContainTextAsync("publish");
        await Assertions.Expect(alice).ToContainTextAsync("region region-");
        await Assertions.Expect(bob).ToContainTextAsync("node " + bobNode.Split('@')[0]);
        await Assertions.Expect(bob).ToContainTextAsync("subscribe");
        // One line per node in each live chart, drawn through at least two polls' samples.
        await Assertions.Expect(page.Locator("#chart-sessions polyline:not([data-points=\"1\"])")).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#chart-bps polyline:not([data-points=\"1\"])")).ToHaveCountAsync(2);
        string consoleShot = Path.Combine(ArtifactDirectory, "ops-console.png");
        await page.ScreenshotAsync(new() { Path = consoleShot, FullPage = true });
        output.WriteLine($"console screenshot: {consoleShot}");

        await page.GotoAsync(new Uri(cluster.Http.BaseAddress!, "/ops/routes" + fragment).ToString());
        await Assertions.Expect(page.Locator("#topology g[data-node]")).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#topology line[data-link]")).ToHaveCountAsync(2);
        // Both directed links are labelled "rtt ms / loss % / jitter ms" with the probers' numbers.
        var linkLabel = new System.Text.RegularExpressions.Regex(@"\d+ ms / \d+\.\d % / \d+\.\d ms.*\d+ ms / \d+\.\d % / \d+\.\d ms");
        await Assertions.Expect(page.Locator("#topology")).ToContainTextAsync(linkLabel, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#tables [data-table]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#version")).ToContainTextAsync("version ");
        string routesShot = Path.Combine(ArtifactDirectory, "ops-routes.png");
        await page.ScreenshotAsync(new() { Path = routesShot, FullPage = true });
        output.WriteLine($"routes screenshot: {routesShot}");

        new FileInfo(consoleShot).Length.Should().BeGreaterThan(10_000);
        new FileInfo(routesShot).Length.Should().BeGreaterThan(10_000);
        lock (errors)
            errors.Should().BeEmpty();
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await cluster.Http.SendAsync(request);
    }
}
