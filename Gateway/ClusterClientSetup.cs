using System.Security.Cryptography.X509Certificates;
using Azure.Data.Tables;
using Gateway.Auth;
using Gateway.ClusterSecurity;
using Azure.Storage.Queues;
using Grains.Interfaces.Signaling;
using Grains.Interfaces.Signaling.Queues;
using Grains.SignalQueues;
using Orleans.Configuration;

namespace Gateway;

/// <summary>
/// Connects the standalone gateway to a cluster as an Orleans client. Configuration section "Cluster"
/// (same keys and defaults as the silo): Provider = Embedded | AzureStorage | PostgreSql, ConnectionString,
/// ClusterId, ServiceId (both default "rtc"), and for Embedded the silo's gateway port
/// (Cluster:GatewayPort, else the silo's own key Silo:GatewayPort, default 30000); GatewayListRefreshSeconds
/// (default 5) is how often the client re-reads the list of silos it may connect through. The signaling stream
/// provider (<see cref="RtcStreams.Provider"/>) is configured as the silos of each profile configure it. On AzureStorage and
/// PostgreSql the gateway refuses the development API key pair and connects over TLS with the cluster certificate
/// (<see cref="ClusterTls"/>: CertificatePath, CertificatePassword).
/// </summary>
public static class ClusterClientSetup
{
    public const string Section = "Cluster";
    public const string DefaultClusterId = "rtc";
    public const string DefaultServiceId = "rtc";
    public const int DefaultGatewayPort = 30000;
    public const double DefaultGatewayListRefreshSeconds = 5;

    public static WebApplicationBuilder AddRtcClusterClient(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(Section);
        string provider = cluster["Provider"] ?? "Embedded";
        string clusterId = cluster["ClusterId"] ?? DefaultClusterId;
        string serviceId = cluster["ServiceId"] ?? DefaultServiceId;
        string? connectionString = cluster["ConnectionString"];
        // On a cluster profile the gateway faces others: refuse the public development pair, speak TLS to the silos.
        X509Certificate2? certificate = null;
        if (!provider.Equals("Embedded", StringComparison.OrdinalIgnoreCase))
        {
            ApiKeyOptions.RequireDeploymentPair(builder.Configuration, provider);
            certificate = ClusterTls.LoadCertificate(builder.Configuration, provider);
        }

        // Start Kestrel alongside the client, not after it: the client may wait for the cluster.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.UseOrleansClient(client =>
        {
            client.UseConnectionRetryFilter<ClusterConnectionRetry>();
            if (certificate is not null)
                client.UseTls(certificate, o => ClusterTls.Configure(o, certificate));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            // The client spreads its traffic over every gateway (silo) it knows and stays reachable through the
            // others when one dies; Orleans' default re-reads the list every minute, so a gateway started before
            // most silos knew only one of them, and lost its stream subscriptions with that silo.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(cluster.GetValue("GatewayListRefreshSeconds", DefaultGatewayListRefreshSeconds)));
            switch (provider.ToLowerInvariant())
            {
                case "embedded":
                    // The silo's localhost clustering: a single known gateway on loopback.
                    client.UseLocalhostClustering(cluster.GetValue("GatewayPort", builder.Configuration.GetValue("Silo:GatewayPort", DefaultGatewayPort)), serviceId, clusterId);
                    client.AddSignalQueueStreams(RtcStreams.Provider);
                    break;
                case "azurestorage":
                    string azure = Require(connectionString, provider);
                    client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(azure));
                    // Same provider name and queues as the silos (AzureStorageProfile), or room notifications never arrive.
                    client.AddAzureQueueStreams(RtcStreams.Provider, ob => ob.Configure(o =>
                    {
                        o.QueueServiceClient = new QueueServiceClient(azure);
                        o.QueueNames = RtcStreams.QueueNames(serviceId);
                    }));
                    break;
                case "postgresql":
                    string postgres = Require(connectionString, provider);
                    client.UseAdoNetClustering(o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = postgres;
                    });
                    client.AddSignalQueueStreams(RtcStreams.Provider);
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Unknown {Section}:Provider '{provider}'. Use Embedded, AzureStorage or PostgreSql.");
            }
        });
        return builder;
    }

    private static string Require(string? connectionString, string provider) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"{Section}:ConnectionString is required for the {provider} provider.")
            : connectionString;
}
