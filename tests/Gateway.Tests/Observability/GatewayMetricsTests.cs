using System.Net;

namespace Gateway.Tests.Observability;

/// <summary>
/// /metrics on the gateway as a process of its own would serve it (the fixture's gateway is the standalone wiring):
/// open by default, in the Prometheus text format, with the HTTP server's meter among what it exports.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewayMetricsTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_gateway_serves_prometheus_text_without_a_token_by_default()
    {
        (await fixture.Http.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var response = await fixture.Http.GetAsync("/metrics");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        metrics.Types.Should().Contain("http_server_request_duration_seconds", "histogram");
        metrics.Matching("http_server_request_duration_seconds_count", ("http_route", "/healthz")).Sum(s => s.Value).Should().BeGreaterThanOrEqualTo(1);
    }
}
