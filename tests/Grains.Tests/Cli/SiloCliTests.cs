using Gateway.Auth;
using Grains.Tests.Fixtures;
using Grains.Tests.Restart;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Silo.Cli;
using Rtc.TestCluster;

namespace Grains.Tests.Cli;

public sealed class SiloCliTests
{
    [Fact]
    public async Task Token_prints_only_a_valid_token_with_the_asked_grants()
    {
        using var dir = new TempDirectory("rtc-cli");
        string stdout = await SiloProcess.RunCommandAsync(new Dictionary<string, string>(), dir.Path,
            "token", "--room", "r1", "--identity", "alice", "--publish", "--subscribe", "--ttl", "2h");

        stdout.Should().EndWith("\n");
        string token = stdout.TrimEnd('\n');
        token.Should().NotContain("\n").And.NotContain(" ");
        var keys = new ApiKeyOptions();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = keys.ApiKey,
            ValidateAudience = false,
            IssuerSigningKey = AccessTokenIssuer.SigningKey(keys),
        });
        result.IsValid.Should().BeTrue(result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        jwt.Subject.Should().Be("alice");
        jwt.GetClaim("room").Value.Should().Be("r1");
        jwt.GetClaim("scope").Value.Should().Be("publish subscribe");
        (jwt.ValidTo - jwt.ValidFrom).Should().Be(TimeSpan.FromHours(2));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    [InlineData("01:30:00", 5400)]
    public void Ttl_accepts_units_and_timespans(string text, int seconds)
    {
        TtlParser.TryParse(text, out var ttl).Should().BeTrue();
        ttl.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0h")]
    [InlineData("-5m")]
    [InlineData("1y")]
    [InlineData("soon")]
    [InlineData("99999d")]
    public void Ttl_refuses_nonsense(string text) => TtlParser.TryParse(text, out _).Should().BeFalse();
}
