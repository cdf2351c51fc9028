using Gateway.Auth;

namespace Gateway;

/// <summary>
/// Adds the gateway (REST API, auth, later WHIP/WHEP) to a web application. The host must provide
/// Orleans' IGrainFactory in DI: the silo process (embedded default) or an IClusterClient (standalone).
/// </summary>
public static class GatewayHosting
{
    public static WebApplicationBuilder AddRtcGateway(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ApiKeyOptions>(builder.Configuration.GetSection(ApiKeyOptions.Section));
        return builder;
    }

    public static WebApplication MapRtcGateway(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        return app;
    }
}
