using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>Creates access tokens: HS256 JWTs with iss = API key, sub = identity, room, scope, exp.</summary>
public static class AccessTokenIssuer
{
    /// <summary>Room claim value granting access to every room.</summary>
    public const string AnyRoom = "*";

    public static string Create(ApiKeyOptions keys, string room, string identity, Grants grants, TimeSpan ttl, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = keys.ApiKey,
            Subject = new ClaimsIdentity([new Claim("sub", identity)]),
            Claims = new Dictionary<string, object> { ["room"] = room, ["scope"] = GrantNames.ToScope(grants) },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + ttl,
            SigningCredentials = new SigningCredentials(SigningKey(keys), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public static SymmetricSecurityKey SigningKey(ApiKeyOptions keys) => new(Encoding.UTF8.GetBytes(keys.ApiSecret));
}
