using System.Net;

namespace Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class SmokeTests(GatewayFixture gw)
{
    [Fact]
    public async Task Healthz_answers_without_a_token()
    {
        var response = await gw.Http.GetAsync("/healthz");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"alive\"}");
    }
}
