using System.Net;
using System.Text.Json;
using Gateway.Api;
using Gateway.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class HealthAndOpenApiTests(GatewayFixture gw)
{
    [Fact]
    public async Task Healthz_answers_without_a_token()
    {
        var body = await (await gw.Http.GetAsync("/healthz")).ShouldBeJsonAsync(HttpStatusCode.OK);
        body.Str("status").Should().Be("alive");
    }

    [Fact]
    public async Task Readyz_is_200_when_the_cluster_answers()
    {
        var body = await (await gw.Http.GetAsync("/readyz")).ShouldBeJsonAsync(HttpStatusCode.OK);
        body.Str("status").Should().Be("ready");
    }

    [Fact]
    public async Task Readyz_is_503_when_the_cluster_does_not_answer()
    {
        // A gateway whose cluster client never connects: a grain factory that hangs like an unreachable cluster.
        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        web.Logging.SetMinimumLevel(LogLevel.Error);
        web.Services.AddSingleton<IGrainFactory>(_ => UnreachableCluster.Create());
        web.AddRtcGateway();
        await using var app = web.Build();
        app.MapRtcGateway();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var started = DateTime.UtcNow;
        await (await http.GetAsync("/readyz")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        (DateTime.UtcNow - started).Should().BeLessThan(HealthEndpoints.ReadyTimeout + TimeSpan.FromSeconds(5));
        await (await http.GetAsync("/healthz")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await app.StopAsync();
    }

    [Fact]
    public async Task OpenApi_document_lists_every_endpoint()
    {
        var response = await gw.Http.GetAsync("/openapi/v1.json");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        doc.GetProperty("openapi").GetString().Should().StartWith("3.");
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain([
            "/healthz", "/readyz", "/v1/rooms", "/v1/rooms/{roomId}", "/v1/rooms/{roomId}/participants",
            "/v1/rooms/{roomId}/participants/{identity}", "/v1/rooms/{roomId}/streams", "/v1/rooms/{roomId}/streams/{streamId}",
            "/v1/rooms/{roomId}/streams/{streamId}/subscribers", "/v1/rooms/{roomId}/events", "/v1/rooms/{roomId}/state",
        ]);
        // Request bodies are documented although routing does not enforce their content type.
        var create = doc.GetProperty("paths").GetProperty("/v1/rooms").GetProperty("post");
        create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _).Should().BeTrue();
        create.GetProperty("responses").TryGetProperty("201", out _).Should().BeTrue();
        create.GetProperty("security").GetArrayLength().Should().Be(1);
        // The document says how to authenticate.
        doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString().Should().Be("bearer");
    }

    [Fact]
    public async Task Unexpected_failures_are_a_bare_500_without_details()
    {
        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        web.Logging.SetMinimumLevel(LogLevel.Critical);
        web.Configuration["Auth:ApiKey"] = GatewayFixture.Keys.ApiKey;
        web.Configuration["Auth:ApiSecret"] = GatewayFixture.Keys.ApiSecret;
        web.Services.AddSingleton<IGrainFactory>(_ => UnreachableCluster.Create(new InvalidOperationException("secret internal detail at C:\\srv")));
        web.AddRtcGateway();
        await using var app = web.Build();
        app.MapRtcGateway();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFixture.AdminToken);

        var response = await http.GetAsync("/v1/rooms/some-room");
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        problem.GetRawText().Should().NotContain("secret internal detail").And.NotContain("InvalidOperationException");
        await app.StopAsync();
    }
}
