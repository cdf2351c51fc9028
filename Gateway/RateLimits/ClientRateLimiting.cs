using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Api;
using Gateway.Auth;
using Gateway.NodeSelection;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.RateLimits;

/// <summary>
/// ASP.NET Core's rate limiter on WHIP, WHEP and REST requests (<c>/whip</c>, <c>/whep</c>, <c>/v1</c>): a token bucket per
/// client address (<see cref="ClientAddressResolver"/>, so the real client behind trusted proxies) chained with one per
/// token identity. The identity comes from a validated token (<see cref="IdentityForLimits"/>, a middleware in front of
/// the limiter): a forged token cannot spend someone else's bucket. A refused request gets 429 problem+json and
/// <c>Retry-After</c> before any handler runs. Buckets live in this gateway's memory; each gateway limits on its own.
/// </summary>
public static class ClientRateLimiting
{
    private const string IdentityItem = "rtc.rate-limit.identity";

    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClientRateLimitOptions>().Bind(configuration.GetSection(ClientRateLimitOptions.Section))
            .Validate(o => o.PerIdentity.IsValid && o.PerAddress.IsValid,
                "RateLimits:PerIdentity and RateLimits:PerAddress need PermitLimit > 0, TokensPerPeriod > 0 and a positive ReplenishmentPeriod")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<NodeSelectionPolicy, IOptions<ClientRateLimitOptions>>((o, policy, limits) =>
        {
            var l = limits.Value;
            var addresses = policy.Addresses;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => !l.Enabled || !IsLimited(http.Request)
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetTokenBucketLimiter(addresses.Resolve(http)?.ToString() ?? "unknown", _ => l.PerAddress.ToLimiterOptions())),
                PartitionedRateLimiter.Create<HttpContext, string>(http => !l.Enabled || http.Items[IdentityItem] is not string identity
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetTokenBucketLimiter(identity, _ => l.PerIdentity.ToLimiterOptions())));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>Adds the identity middleware and the limiter; call before the endpoints are mapped.</summary>
    public static WebApplication UseClientRateLimiting(this WebApplication app)
    {
        app.UseMiddleware<IdentityForLimits>();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>WHIP, WHEP and the REST API; not health, OpenAPI or the demo page. CORS preflights carry no token and are not counted.</summary>
    public static bool IsLimited(HttpRequest request) =>
        !HttpMethods.IsOptions(request.Method)
        && (request.Path.StartsWithSegments("/v1") || request.Path.StartsWithSegments("/whip") || request.Path.StartsWithSegments("/whep"));

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        string detail = "Too many requests from this client or identity; slow down.";
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            int seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            detail = $"Too many requests from this client or identity; retry after {seconds} s.";
        }
        await Problems.Create(StatusCodes.Status429TooManyRequests, detail).ExecuteAsync(http);
    }

    /// <summary>
    /// Puts the identity of a valid bearer token where the limiter's partitioner (synchronous) can read it. The endpoint's
    /// own auth filter still decides whether the request is allowed; a missing or bad token is limited by address only.
    /// </summary>
    public sealed class IdentityForLimits(RequestDelegate next, AccessTokenValidator validator)
    {
        public async Task InvokeAsync(HttpContext http)
        {
            string header = http.Request.Headers.Authorization.ToString();
            if (header.Length > 0 && IsLimited(http.Request))
            {
                var check = await validator.ValidateAsync(header);
                if (check.Caller is { } caller)
                    http.Items[IdentityItem] = caller.Identity;
            }
            await next(http);
        }
    }
}
