using Gateway.Auth;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Gateway.Observability;

/// <summary>
/// Prometheus metrics of this process (README "Metrics"): OpenTelemetry collects the listed meters (ours, Orleans',
/// the runtime's, ASP.NET Core's) and renders them in the Prometheus text format at <see cref="MetricsOptions.Path"/>.
/// Observable instruments (the media plane's counters) are read at scrape time only.
/// </summary>
public static class MetricsHosting
{
    /// <summary>Meters every process exports; a silo adds its own (media node, grains) with ConfigureOpenTelemetryMeterProvider.</summary>
    private static readonly string[] CommonMeters =
    [
        GatewayMetrics.MeterName,
        "Microsoft.Orleans",             // Orleans' own: grain calls, messaging, membership, activations
        "System.Runtime",                 // GC, thread pool, CPU time
        "Microsoft.AspNetCore.Hosting",   // HTTP request durations
    ];

    public static WebApplicationBuilder AddRtcMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<MetricsOptions>(builder.Configuration.GetSection(MetricsOptions.Section));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<GatewayMetrics>();
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (!options.Enabled)
            return builder;
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CommonMeters)
            // A scrape collects afresh: Prometheus already spaces its scrapes, and tests read right after acting.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    public static WebApplication MapRtcMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
            return app;
        app.MapPrometheusScrapingEndpoint(options.Path, meterProvider: null, configureBranchedPipeline: branch =>
        {
            if (options.RequireAdmin)
                branch.Use(RequireAdminAsync);
        }, optionsName: null);
        return app;
    }

    private static async Task RequireAdminAsync(HttpContext http, RequestDelegate next)
    {
        var check = await http.RequestServices.GetRequiredService<AccessTokenValidator>().ValidateAsync(http.Request.Headers.Authorization.ToString());
        if (check.Caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (!check.Caller.IsAdmin)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await next(http);
    }
}
