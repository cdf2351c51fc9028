using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Rtc.TestCluster;
using Gateway.Tests.WebRtc;

namespace Gateway.Tests.Observability;

/// <summary>The Orleans Dashboard on a real silo host with <c>Dashboard:Enabled</c> on (SiloMetricsTests shows it is off by default).</summary>
public sealed class OrleansDashboardTests
{
    [Fact]
    public async Task With_the_setting_on_the_silo_serves_the_dashboard()
    {
        string data = Directory.CreateTempSubdirectory("silo-dashboard-").FullName;
        var app = TestSilo.Build(data, SiloProcessFixture.Keys, "--Dashboard:Enabled", "true");
        try
        {
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            using var http = new HttpClient { BaseAddress = address };

            using var page = await http.GetAsync("/dashboard");
            page.StatusCode.Should().Be(HttpStatusCode.OK);
            page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            (await page.Content.ReadAsStringAsync()).Should().ContainEquivalentOf("orleans");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
