using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gateway.Api;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// Short-lived, single-use tickets that open a room WebSocket (browsers cannot set headers on one, and a bearer token
/// in a URL ends up in logs and histories). A ticket is an HS256 JWT signed with a key derived from the API secret
/// (HMAC-SHA256(secret, "rtc-ws-ticket")), so a ticket is never accepted as a bearer token nor a bearer token as a
/// ticket. It names one room, the caller's identity and grants, a <c>jti</c>, its own <c>exp</c>
/// (<see cref="RoomNotificationSocketOptions.TicketLifetime"/>, never past the token's) and the token's expiry
/// (<c>rights_exp</c>), at which the socket closes. Tickets are stateless, so any gateway of the cluster redeems
/// them; single use is enforced per gateway (a redeemed <c>jti</c> is remembered until the ticket expires).
/// </summary>
public sealed class RoomSocketTickets
{
    private const string RightsExpiryClaim = "rights_exp";
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };
    private readonly ApiKeyOptions _keys;
    private readonly SymmetricSecurityKey _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _redeemed = new(StringComparer.Ordinal);

    public RoomSocketTickets(IOptions<ApiKeyOptions> keys, IOptions<RoomNotificationSocketOptions> options, TimeProvider? time = null)
    {
        _keys = keys.Value;
        _key = new SymmetricSecurityKey(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_keys.ApiSecret), "rtc-ws-ticket"u8));
        _time = time ?? TimeProvider.System;
        _lifetime = options.Value.TicketLifetime;
    }

    /// <summary>A ticket for <paramref name="roomId"/> and when it expires.</summary>
    public (string Ticket, DateTimeOffset ExpiresAt) Issue(Caller caller, string roomId)
    {
        var now = _time.GetUtcNow();
        var rightsEnd = caller.ExpiresAt ?? now + _lifetime;
        var expires = now + _lifetime < rightsEnd ? now + _lifetime : rightsEnd;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _keys.ApiKey,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = caller.Identity,
                ["room"] = roomId,
                ["scope"] = GrantNames.ToScope(caller.Grants),
                ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
                [RightsExpiryClaim] = rightsEnd.ToUnixTimeSeconds(),
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        };
        return (_handler.CreateToken(descriptor), expires);
    }

    /// <summary>Redeems a ticket for <paramref name="roomId"/>: the caller it was issued to, or why it is refused. Never throws.</summary>
    public async Task<TokenCheck> RedeemAsync(string ticket, string roomId)
    {
        if (ticket.Length is 0 or > 4096)
            return TokenCheck.Fail("Malformed ticket.");
        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(ticket, new TokenValidationParameters
            {
                ValidIssuer = _keys.ApiKey,
                ValidateAudience = false,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                IssuerSigningKey = _key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                // Tickets live seconds: a small skew only.
                ClockSkew = TimeSpan.FromSeconds(5),
                LifetimeValidator = (notBefore, expires, _, p) => expires is { } e && e.ToUniversalTime() >= _time.GetUtcNow().UtcDateTime - p.ClockSkew,
            });
        }
        catch (Exception)
        {
            return TokenCheck.Fail("Invalid ticket.");
        }
        if (!result.IsValid)
            return TokenCheck.Fail(result.Exception is SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException
                ? "The ticket has expired: get a new one from POST .../events/ws-ticket." : "Invalid ticket.");
        var claims = result.Claims;
        if (Claim(claims, "room") as string != roomId)
            return TokenCheck.Fail("The ticket is for another room.");
        if (Claim(claims, "sub") is not string sub || Claim(claims, "jti") is not string jti
            || !GrantNames.TryParseScope(Claim(claims, "scope") as string, out var grants)
            || !TryReadSeconds(Claim(claims, RightsExpiryClaim), out var rightsEnd))
            return TokenCheck.Fail("Invalid ticket.");
        if (!Remember(jti, result.SecurityToken.ValidTo))
            return TokenCheck.Fail("The ticket was already used.");
        return TokenCheck.Ok(new Caller(sub, roomId, grants) { ExpiresAt = rightsEnd });
    }

    private bool Remember(string jti, DateTime expires)
    {
        var now = _time.GetUtcNow();
        if (_redeemed.Count > 1024)
        {
            foreach (var (id, until) in _redeemed)
                if (until < now)
                    _redeemed.TryRemove(id, out _);
        }
        return _redeemed.TryAdd(jti, new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)) + TimeSpan.FromSeconds(10));
    }

    private static object? Claim(IDictionary<string, object> claims, string name) => claims.TryGetValue(name, out var value) ? value : null;

    private static bool TryReadSeconds(object? value, out DateTimeOffset at)
    {
        long? seconds = value switch { long l => l, int i => i, double d => (long)d, _ => null };
        at = seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : default;
        return seconds is not null;
    }
}
