using Grains.Interfaces.Rooms;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// Checks access tokens: HS256 only, signed with the API secret, <c>iss</c> = API key, <c>exp</c> required
/// and in the future (30 s skew), <c>sub</c> a valid identity, <c>room</c> a valid room id or <c>*</c>,
/// <c>scope</c> only known grant words. Never throws for a bad token: it returns why it failed.
/// </summary>
public sealed class AccessTokenValidator
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;

    public AccessTokenValidator(IOptions<ApiKeyOptions> options, TimeProvider? clock = null)
    {
        var keys = options.Value;
        var time = clock ?? TimeProvider.System;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = keys.ApiKey,
            ValidateIssuer = true,
            // Tokens are not issued for a particular audience; the room claim scopes them instead.
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
            IssuerSigningKey = AccessTokenIssuer.SigningKey(keys),
            // Pin the algorithm: accepting what the header says invites alg confusion.
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            LifetimeValidator = (notBefore, expires, _, p) => LifetimeIsValid(notBefore, expires, p, time),
        };
    }

    public async Task<TokenCheck> ValidateAsync(string? authorizationHeader)
    {
        const string prefix = "Bearer ";
        if (string.IsNullOrEmpty(authorizationHeader))
            return TokenCheck.Fail("Missing bearer token.");
        if (!authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return TokenCheck.Fail("The Authorization header must use the Bearer scheme.");
        string token = authorizationHeader[prefix.Length..].Trim();
        if (token.Length == 0 || token.Length > 8192)
            return TokenCheck.Fail("Malformed bearer token.");

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, _parameters);
        }
        catch (Exception)
        {
            // The handler reports failures in the result; this guards against anything it still throws.
            return TokenCheck.Fail("Invalid token.");
        }
        if (!result.IsValid)
            return TokenCheck.Fail(Describe(result.Exception));

        var claims = result.Claims;
        if (!claims.TryGetValue("sub", out var subObj) || subObj is not string sub || !RoomIds.IsValid(sub))
            return TokenCheck.Fail("The token's sub claim must be a valid identity.");
        if (!claims.TryGetValue("room", out var roomObj) || roomObj is not string room
            || (room != AccessTokenIssuer.AnyRoom && !RoomIds.IsValid(room)))
            return TokenCheck.Fail("The token's room claim must be a room id or '*'.");
        string? scope = claims.TryGetValue("scope", out var scopeObj) ? scopeObj as string : null;
        if (scopeObj is not null && scope is null)
            return TokenCheck.Fail("The token's scope claim must be a string.");
        if (!GrantNames.TryParseScope(scope, out var grants))
            return TokenCheck.Fail("The token's scope contains an unknown grant.");
        DateTimeOffset? expires = result.SecurityToken is { ValidTo: var validTo } && validTo != DateTime.MinValue
            ? new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc)) : null;
        return TokenCheck.Ok(new Caller(sub, room, grants) { ExpiresAt = expires });
    }

    private static bool LifetimeIsValid(DateTime? notBefore, DateTime? expires, TokenValidationParameters p, TimeProvider time)
    {
        // Our own check so tests can move the clock; same rules as the default validator.
        if (expires is null)
            return false;
        var now = time.GetUtcNow().UtcDateTime;
        if (notBefore is { } nbf && nbf > now + p.ClockSkew)
            return false;
        return expires.Value.ToUniversalTime() >= now - p.ClockSkew;
    }

    // Short, fixed reasons: the library's messages may carry key ids or token contents.
    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException => "The token is expired or not yet valid.",
        SecurityTokenNoExpirationException => "The token has no exp claim.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not this deployment's API key.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
        SecurityTokenInvalidAlgorithmException => "The token must be signed with HS256.",
        SecurityTokenMalformedException => "Malformed bearer token.",
        _ => "Invalid token.",
    };
}

/// <summary>Outcome of a token check: a caller, or why the token was refused.</summary>
public readonly record struct TokenCheck(Caller? Caller, string? Error)
{
    public static TokenCheck Ok(Caller caller) => new(caller, null);
    public static TokenCheck Fail(string error) => new(null, error);
}
