using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Gateway.ClusterSecurity;
using Silo.Hosting;
using Rtc.TestSupport;

namespace Grains.Tests.Restart;

/// <summary>One storage profile as a restart test runs it: the silo's environment and a matching cluster client.</summary>
public sealed class SiloProfileUnderTest(ClusterProvider provider, string connectionString, string dataDirectory)
{
    public string ServiceId { get; } = $"rtc-restart-{Guid.NewGuid():N}"[..24];
    public string ClusterId { get; private set; } = NewClusterId();
    public int GatewayPort { get; private set; } = FreePorts.Tcp();
    public string DataDirectory => dataDirectory;

    /// <summary>The cluster profiles refuse the development API key pair and run Orleans over TLS with a cluster certificate.</summary>
    public TestClusterCertificate? Certificate { get; } = provider == ClusterProvider.Embedded ? null
        : new TestClusterCertificate(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataDirectory))!, "cluster.pfx"));

    public const string ApiKey = "restart-test-key";
    public const string ApiSecret = "restart-test-secret-0123456789abcdef0123456789";

    /// <summary>The cluster profiles refuse to start without a relay cluster key (base64, at least 16 bytes).</summary>
    public static readonly string RelayClusterKey = Convert.ToBase64String("restart-test-relay-cluster-key!!"u8);

    /// <summary>
    /// A new incarnation of the cluster: fresh ports, and on the cluster profiles a fresh ClusterId with
    /// the same ServiceId (grain state is keyed by service; a dead cluster's membership rows are ignored).
    /// </summary>
    public void NextIncarnation()
    {
        GatewayPort = FreePorts.Tcp();
        if (provider != ClusterProvider.Embedded)
            ClusterId = NewClusterId();
    }

    public Dictionary<string, string> Environment() => new(Certificate?.Environment() ?? [])
    {
        ["Auth__ApiKey"] = ApiKey,
        ["Auth__ApiSecret"] = ApiSecret,
        ["Relay__ClusterKey"] = RelayClusterKey,
        ["Cluster__Provider"] = provider.ToString(),
        ["Cluster__ConnectionString"] = connectionString,
        ["Cluster__ClusterId"] = ClusterId,
        ["Cluster__ServiceId"] = ServiceId,
        ["Silo__SiloPort"] = FreePorts.Tcp().ToString(),
        ["RelayPort__Port"] = "0",
        // An OS-chosen media port: the default 7882 may be held by another test's silo on this machine.
        ["MediaPort__Port"] = "0",
        ["MediaPort__BindAddress"] = "127.0.0.1",
        ["Silo__GatewayPort"] = GatewayPort.ToString(),
        ["Storage__DataDirectory"] = dataDirectory,
        ["Gateway__Url"] = $"http://127.0.0.1:{FreePorts.Tcp()}",
    };

    public async Task<IHost> ConnectClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            if (Certificate is { } tls)
                client.UseTls(tls.Certificate, o => ClusterTls.Configure(o, tls.Certificate));
            switch (provider)
            {
                case ClusterProvider.Embedded:
                    client.UseLocalhostClustering(GatewayPort, ServiceId, ClusterId);
                    break;
                case ClusterProvider.AzureStorage:
                    client.Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ServiceId; });
                    client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connectionString));
                    break;
                case ClusterProvider.PostgreSql:
                    client.Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ServiceId; });
                    client.UseAdoNetClustering(o => { o.Invariant = PostgreSqlProfile.Invariant; o.ConnectionString = connectionString; });
                    break;
            }
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static string NewClusterId() => $"c-{Guid.NewGuid():N}"[..14];
}
