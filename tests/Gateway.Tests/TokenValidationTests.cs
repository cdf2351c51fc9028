using System.Net;
using System.Security.Claims;
using Gateway.Auth;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests;

/// <summary>Tokens the gateway must refuse, over HTTP, and proof that refusals change nothing.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TokenValidationTests(GatewayFixture gw)
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Signs arbitrary claims with the deployment's key (or another), for tokens the issuer would never make.</summary>
    private static string Craft(Dictionary<string, object> claims, string? secret = null, bool sign = true, DateTime? expires = null)
    {
        var keys = new ApiKeyOptions { ApiKey = GatewayFixture.Keys.ApiKey, ApiSecret = secret ?? GatewayFixture.Keys.ApiSecret };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = keys.ApiKey,
            Claims = claims,
            Expires = expires,
            SigningCredentials = sign ? new SigningCredentials(AccessTokenIssuer.SigningKey(keys), SecurityAlgorithms.HmacSha256) : null,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public static TheoryData<string, string?> UnauthenticatedCases()
    {
        var keys = GatewayFixture.Keys;
        var hourAgo = new FixedClock(DateTimeOffset.UtcNow.AddHours(-2));
        var future = DateTime.UtcNow.AddMinutes(10);
        var valid = new Dictionary<string, object> { ["sub"] = "alice", ["room"] = "*", ["scope"] = "admin" };
        return new TheoryData<string, string?>
        {
            { "missing", null },
            { "not bearer", "Basic YWxpY2U6c2VjcmV0" },
            { "garbage", "Bearer not.a.jwt" },
            { "expired", "Bearer " + AccessTokenIssuer.Create(keys, "*", "alice", Grants.Admin, TimeSpan.FromHours(1), hourAgo) },
            { "wrong signature", "Bearer " + AccessTokenIssuer.Create(new ApiKeyOptions { ApiKey = keys.ApiKey, ApiSecret = "another-secret-0123456789abcdef0123456789" }, "*", "alice", Grants.Admin, TimeSpan.FromMinutes(5)) },
            { "wrong iss", "Bearer " + AccessTokenIssuer.Create(new ApiKeyOptions { ApiKey = "someone-else", ApiSecret = keys.ApiSecret }, "*", "alice", Grants.Admin, TimeSpan.FromMinutes(5)) },
            { "unknown scope word", "Bearer " + Craft(new(valid) { ["scope"] = "admin superuser" }, expires: future) },
            { "no exp", "Bearer " + Craft(valid) },
            { "unsigned (alg none)", "Bearer " + Craft(valid, sign: false, expires: future) },
            { "no sub", "Bearer " + Craft(new() { ["room"] = "*", ["scope"] = "admin" }, expires: future) },
            { "no room", "Bearer " + Craft(new() { ["sub"] = "alice", ["scope"] = "admin" }, expires: future) },
            { "invalid room claim", "Bearer " + Craft(new(valid) { ["room"] = "a b" }, expires: future) },
        };
    }

    [Theory]
    [MemberData(nameof(UnauthenticatedCases))]
    public async Task Bad_tokens_get_401_and_create_nothing(string why, string? authorization)
    {
        string roomId = "tok-" + Guid.NewGuid().ToString("N")[..12];
        string before = await gw.FingerprintAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/rooms")
        {
            Content = new StringContent($"{{\"roomId\":\"{roomId}\"}}", System.Text.Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var response = await gw.Http.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer", why);
        problem.Str("detail").Should().NotContain("Exception", "details of the failure must not leak");
        (await gw.FingerprintAsync()).Should().Be(before, $"a request with a {why} token must change nothing");
    }

    [Fact]
    public async Task Every_v1_endpoint_needs_a_token()
    {
        string room = await gw.CreateRoomAsync("tok-all-" + Guid.NewGuid().ToString("N")[..8]);
        string before = await gw.FingerprintAsync(room);
        (HttpMethod, string)[] endpoints =
        [
            (HttpMethod.Get, "/v1/rooms"), (HttpMethod.Post, "/v1/rooms"),
            (HttpMethod.Get, $"/v1/rooms/{room}"), (HttpMethod.Delete, $"/v1/rooms/{room}"),
            (HttpMethod.Get, $"/v1/rooms/{room}/participants"), (HttpMethod.Post, $"/v1/rooms/{room}/participants"),
            (HttpMethod.Delete, $"/v1/rooms/{room}/participants/alice"),
            (HttpMethod.Get, $"/v1/rooms/{room}/streams"), (HttpMethod.Post, $"/v1/rooms/{room}/streams"),
            (HttpMethod.Delete, $"/v1/rooms/{room}/streams/s1"),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams/s1/subscribers"), (HttpMethod.Delete, $"/v1/rooms/{room}/streams/s1/subscribers"),
            (HttpMethod.Get, $"/v1/rooms/{room}/events"), (HttpMethod.Get, $"/v1/rooms/{room}/state"),
        ];
        foreach (var (method, path) in endpoints)
        {
            var response = await gw.SendAsync(method, path, token: null);
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
        (await gw.FingerprintAsync(room)).Should().Be(before);
    }

    [Fact]
    public async Task A_token_for_another_room_gets_403_everywhere_in_this_room()
    {
        string room = await gw.CreateRoomAsync("tok-other-" + Guid.NewGuid().ToString("N")[..8]);
        string token = GatewayFixture.Token("some-other-room", "mallory", Grants.Admin | Grants.Publish | Grants.Subscribe);
        string before = await gw.FingerprintAsync(room);
        (HttpMethod, string, object?)[] calls =
        [
            (HttpMethod.Post, "/v1/rooms", new { roomId = room }),
            (HttpMethod.Get, $"/v1/rooms/{room}", null), (HttpMethod.Delete, $"/v1/rooms/{room}", null),
            (HttpMethod.Get, $"/v1/rooms/{room}/participants", null), (HttpMethod.Post, $"/v1/rooms/{room}/participants", null),
            (HttpMethod.Delete, $"/v1/rooms/{room}/participants/alice", null),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", new { kind = "audio", codec = "opus", ssrcs = new[] { 1u } }),
            (HttpMethod.Delete, $"/v1/rooms/{room}/streams/s1", null),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams/s1/subscribers", null),
            (HttpMethod.Get, $"/v1/rooms/{room}/events", null), (HttpMethod.Get, $"/v1/rooms/{room}/state", null),
        ];
        foreach (var (method, path, body) in calls)
            await (await gw.SendAsync(method, path, token, body)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await gw.FingerprintAsync(room)).Should().Be(before);
    }

    [Fact]
    public async Task Missing_grants_get_403_and_change_nothing()
    {
        string room = await gw.CreateRoomAsync("tok-grants-" + Guid.NewGuid().ToString("N")[..8]);
        string subscriber = GatewayFixture.Token(room, "sub-only", Grants.Subscribe);
        string publisher = GatewayFixture.Token(room, "pub-only", Grants.Publish);
        string nothing = GatewayFixture.Token(room, "no-grants", Grants.None);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", subscriber)).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", publisher)).ShouldBeJsonAsync(HttpStatusCode.Created);
        string before = await gw.FingerprintAsync(room);

        // Not admin: no creating, listing, closing, kicking.
        await (await gw.SendAsync(HttpMethod.Post, "/v1/rooms", publisher, new { roomId = room + "x" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await gw.SendAsync(HttpMethod.Get, "/v1/rooms", publisher)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}", publisher)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/participants/sub-only", publisher)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        // Subscribe-only may not publish, nor join asking to publish; publish-only may not subscribe.
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/streams", subscriber, new { kind = "audio", codec = "opus", ssrcs = new[] { 1u } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", GatewayFixture.Token(room, "sub2", Grants.Subscribe), new { publish = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/streams/s1/subscribers", publisher)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        // Non-admins act only as themselves.
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", publisher, new { identity = "someone-else" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        // No grant at all: cannot join or read the room.
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", nothing)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events", nothing)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/state", nothing)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        (await gw.FingerprintAsync(room)).Should().Be(before);
    }

    [Fact]
    public async Task Issued_tokens_validate_with_their_claims()
    {
        var validator = new AccessTokenValidator(Options.Create(GatewayFixture.Keys));
        string token = AccessTokenIssuer.Create(GatewayFixture.Keys, "room-1", "alice", Grants.Publish | Grants.Subscribe, TimeSpan.FromMinutes(5));

        var check = await validator.ValidateAsync("Bearer " + token);

        check.Error.Should().BeNull();
        // The token's exp travels with the caller (room WebSockets close when it passes).
        check.Caller.Should().Be(new Caller("alice", "room-1", Grants.Publish | Grants.Subscribe) { ExpiresAt = check.Caller!.ExpiresAt });
        check.Caller.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Clock_skew_of_30_seconds_is_tolerated_but_not_more()
    {
        var now = DateTimeOffset.UtcNow;
        string token = AccessTokenIssuer.Create(GatewayFixture.Keys, "*", "alice", Grants.Admin, TimeSpan.FromMinutes(1), new FixedClock(now));
        var justExpired = new AccessTokenValidator(Options.Create(GatewayFixture.Keys), new FixedClock(now.AddMinutes(1).AddSeconds(20)));
        var longExpired = new AccessTokenValidator(Options.Create(GatewayFixture.Keys), new FixedClock(now.AddMinutes(1).AddSeconds(40)));

        (await justExpired.ValidateAsync("Bearer " + token)).Caller.Should().NotBeNull();
        (await longExpired.ValidateAsync("Bearer " + token)).Error.Should().Contain("expired");
    }
}
