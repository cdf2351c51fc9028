using System.Security.Cryptography.X509Certificates;
using Gateway;
using Gateway.ClusterSecurity;
using Grains.Media;
using Gateway.Auth;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Silo.Hosting;

/// <summary>
/// Builds the silo process: Orleans on the configured profile, plus the gateway (REST API) in the same
/// web application. Tests call <see cref="Build"/> with their own configuration.
/// </summary>
public static class SiloHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        var settings = SiloSettings.From(builder.Configuration);
        // A cluster profile is reachable by others: no public development secrets, no plaintext Orleans ports.
        X509Certificate2? clusterCertificate = null;
        if (settings.Provider != ClusterProvider.Embedded)
        {
            ApiKeyOptions.RequireDeploymentPair(builder.Configuration, settings.Provider.ToString());
            clusterCertificate = ClusterTls.LoadCertificate(builder.Configuration, settings.Provider.ToString());
            RelayClusterKey.RequireForProfile(builder.Configuration, settings.Provider.ToString());
        }
        builder.Services.AddSingleton(settings);
        // Before UseOrleans: hosted services start in registration order, and the schema must exist first.
        builder.Services.AddHostedService<StorageSetupService>();
        if (clusterCertificate is not null)
            builder.Services.AddHostedService(s => new TlsWarmUp(clusterCertificate, s.GetRequiredService<ILogger<TlsWarmUp>>()));

        if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
            builder.WebHost.UseUrls(settings.GatewayUrl);

        builder.UseOrleans(silo =>
        {
            switch (settings.Provider)
            {
                case ClusterProvider.AzureStorage: AzureStorageProfile.Configure(silo, settings); break;
                case ClusterProvider.PostgreSql: PostgreSqlProfile.Configure(silo, settings); break;
                default: EmbeddedProfile.Configure(silo, settings); break;
            }
            if (clusterCertificate is not null)
                silo.UseTls(clusterCertificate, o => ClusterTls.Configure(o, clusterCertificate));
            silo.AddMediaNode(builder.Configuration);
            OrleansDashboardSetup.AddTo(silo, builder.Configuration);
        });
        builder.AddRtcGateway();
        // The silo's own meters join the gateway's in /metrics (README "Metrics").
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(MediaNodeMetrics.MeterName, Grains.Observability.GrainCallMetrics.MeterName));
        builder.Services.AddOptions<Gateway.Api.RoomNotificationHubOptions>().Configure<ILocalSiloDetails>((o, silo) =>
            o.GatewayId = Grains.Interfaces.Signaling.IGatewayRegistryGrain.SiloGatewayId(silo.SiloAddress.ToParsableString()));

        var app = builder.Build();
        app.MapRtcGateway();
        OrleansDashboardSetup.Map(app);
        return app;
    }

    /// <summary>Prints where the silo runs and, with the development API key pair, the pair itself.</summary>
    public static void PrintBanner(WebApplication app)
    {
        var s = app.Services.GetRequiredService<SiloSettings>();
        var keys = app.Services.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
        Console.WriteLine($"rtc silo: profile {s.Provider}, cluster {s.ClusterId}, service {s.ServiceId}, region {s.Region}, gateway {s.GatewayUrl}");
        if (s.Provider == ClusterProvider.Embedded)
            Console.WriteLine($"storage: {Path.GetFullPath(s.DataDirectory)}");
        if (keys.IsDevelopmentPair)
        {
            Console.WriteLine($"DEVELOPMENT API key: {keys.ApiKey}  secret: {keys.ApiSecret}");
            Console.WriteLine("  (for local use only; set Auth__ApiKey and Auth__ApiSecret in any real deployment)");
        }
    }
}
