using System.Security.Cryptography;
using System.Text;
using Gateway.Api;
using Gateway.Auth;
using Grains.Interfaces.Rooms;
using Microsoft.Extensions.Options;

namespace Gateway.Demo;

/// <summary>
/// POST /dev/token <c>{"room":"r","name":"Alice"}</c>: a token for the meeting page right after
/// <c>dotnet run --project Silo</c>, with no CLI step. Offered only where the public development key pair
/// signs tokens on the embedded profile (one process on a developer's machine): anyone who can reach the
/// endpoint could forge such tokens anyway, since the pair is in the source. Every other setup answers 403,
/// and the page then needs a token from the application that embeds it.
/// </summary>
public static class DevelopmentTokens
{
    public const string Path = "/dev/token";

    /// <summary>How long a development token lives; the page asks again when it rejoins.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(4);

    public sealed record Request(string? Room, string? Name);

    /// <param name="Identity">The name made into an identity (letters, digits, '.', '_', '-') plus a short suffix, so that two people typing the same name stay two participants.</param>
    public sealed record Response(string Token, string Room, string Identity, DateTimeOffset ExpiresAt);

    /// <summary>True on the embedded profile (<c>Cluster:Provider</c> absent or Embedded) with the development key pair only.</summary>
    public static bool IsOffered(IConfiguration configuration, ApiKeyOptions keys)
    {
        string provider = configuration[$"{ClusterClientSetup.Section}:Provider"] ?? "Embedded";
        return provider.Equals("Embedded", StringComparison.OrdinalIgnoreCase) && keys.IsDevelopmentPair;
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(Path, Issue).ExcludeFromDescription();

    private static IResult Issue(Request? body, IConfiguration configuration, IOptions<ApiKeyOptions> keys)
    {
        if (!IsOffered(configuration, keys.Value))
            return Problems.Create(StatusCodes.Status403Forbidden,
                "Development tokens exist only on the embedded profile with the development key pair; get a token from the application that embeds the page.",
                "DevelopmentTokensOff");
        string? room = body?.Room?.Trim();
        if (!RoomIds.IsValid(room))
            return Problems.Create(StatusCodes.Status400BadRequest, $"Invalid room: 1-{RoomIds.MaxLength} characters of A-Z, a-z, 0-9, '.', '_', '-'.");
        string identity = IdentityFor(body?.Name);
        var token = AccessTokenIssuer.Create(keys.Value, room!, identity, Grants.Publish | Grants.Subscribe, Lifetime);
        return TypedResults.Ok(new Response(token, room!, identity, DateTimeOffset.UtcNow + Lifetime));
    }

    /// <summary>"Ann Lee" → "Ann-Lee.3f9c": characters an identity may not hold become '-', and a random suffix follows.</summary>
    public static string IdentityFor(string? name)
    {
        var slug = new StringBuilder();
        foreach (char c in (name ?? "").Trim())
        {
            if (slug.Length == RoomIds.MaxLength - 5)
                break;
            slug.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }
        if (slug.Length == 0)
            slug.Append("guest");
        return $"{slug}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
    }
}
