using Gateway.Api;

namespace Gateway.Auth;

/// <summary>
/// Requires a valid access token on every /v1 endpoint and makes the <see cref="Caller"/> available to
/// handlers. Runs before any handler code, so a refused request changes nothing.
/// </summary>
public sealed class BearerAuthFilter(AccessTokenValidator validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string header = http.Request.Headers.Authorization.ToString();
        var check = await validator.ValidateAsync(header);
        if (check.Caller is null)
        {
            // RFC 6750 section 3: name the scheme; add an error code only when a token was sent.
            http.Response.Headers.WWWAuthenticate = header.Length == 0 ? "Bearer" : "Bearer error=\"invalid_token\"";
            throw ApiProblem.Unauthorized(check.Error ?? "Invalid token.");
        }
        http.Features.Set(check.Caller);
        return await next(context);
    }
}

public static class CallerHttpContextExtensions
{
    /// <summary>The authenticated caller; only valid inside endpoints behind <see cref="BearerAuthFilter"/>.</summary>
    public static Caller Caller(this HttpContext http) =>
        http.Features.Get<Caller>() ?? throw new InvalidOperationException("No caller: endpoint is not behind BearerAuthFilter.");
}
