using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gateway.Auth;
using Gateway.Demo;
using Gateway.Tests.Browser;
using Gateway.Tests.WebRtc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Rtc.TestCluster;

namespace Gateway.Tests.Demo;

/// <summary>
/// POST /dev/token: tokens for the meeting page right after <c>dotnet run --project Silo</c> (embedded profile,
/// development key pair), refused everywhere else.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DevelopmentTokenTests(SiloProcessFixture siloWithOwnKeys)
{
    [Fact]
    public async Task The_embedded_silo_with_the_development_key_pair_gives_a_room_token_with_the_typed_name()
    {
        string data = Path.Combine(Path.GetTempPath(), "dev-token-" + Guid.NewGuid().ToString("N"));
        await using var app = TestSilo.Build(data, new ApiKeyOptions());
        try
        {
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            using var http = new HttpClient { BaseAddress = address };

            using var response = await http.PostAsJsonAsync(DevelopmentTokens.Path, new { room = "standup", name = "Ann Lee" });

            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var body = (await response.Content.ReadFromJsonAsync<DevelopmentTokens.Response>())!;
            body.Room.Should().Be("standup");
            body.Identity.Should().MatchRegex(@"^Ann-Lee\.[0-9a-f]{4}$");
            var jwt = new JsonWebToken(body.Token);
            jwt.Subject.Should().Be(body.Identity);
            jwt.GetClaim("room").Value.Should().Be("standup");
            jwt.GetClaim("scope").Value.Split(' ').Should().BeEquivalentTo(["publish", "subscribe"]);
            // The gateway accepts it: the room does not exist yet (404), but the token is not refused (401).
            using var streams = new HttpRequestMessage(HttpMethod.Get, "/v1/rooms/standup/streams");
            streams.Headers.Authorization = new AuthenticationHeaderValue("Bearer", body.Token);
            (await http.SendAsync(streams)).StatusCode.Should().Be(HttpStatusCode.NotFound);

            (await http.PostAsJsonAsync(DevelopmentTokens.Path, new { room = "no room!", name = "Ann" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        finally
        {
            await app.StopAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_silo_with_its_own_key_pair_refuses_development_tokens()
    {
        using var response = await siloWithOwnKeys.Http.PostAsJsonAsync(DevelopmentTokens.Path, new { room = "standup", name = "Ann" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("DevelopmentTokensOff");
    }

    [Theory]
    [InlineData(null, true, true)]
    [InlineData("Embedded", true, true)]
    [InlineData("embedded", false, false)]
    [InlineData("PostgreSql", true, false)]
    [InlineData("AzureStorage", true, false)]
    [InlineData("PostgreSql", false, false)]
    public void Only_the_embedded_profile_with_the_development_pair_offers_them(string? provider, bool developmentPair, bool offered)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(provider is null ? [] : [new KeyValuePair<string, string?>("Cluster:Provider", provider)]).Build();
        var keys = developmentPair ? new ApiKeyOptions() : new ApiKeyOptions { ApiKey = "own", ApiSecret = "own-secret-0123456789abcdef0123456789abcdef" };

        DevelopmentTokens.IsOffered(configuration, keys).Should().Be(offered);
    }

    [Fact]
    public void Names_become_identities_with_a_suffix()
    {
        DevelopmentTokens.IdentityFor("Zoë O'Neil").Should().MatchRegex(@"^Zo--O-Neil\.[0-9a-f]{4}$");
        DevelopmentTokens.IdentityFor("  ").Should().MatchRegex(@"^guest\.[0-9a-f]{4}$");
        DevelopmentTokens.IdentityFor(new string('x', 200)).Length.Should().BeLessThanOrEqualTo(64);
    }
}
