using System.Net;
using Microsoft.Extensions.Configuration;

namespace Silo.Hosting;

/// <summary>
/// The silo's configuration, read once from appsettings.json, environment variables (<c>Cluster__Provider</c>)
/// and the command line (<c>--Cluster:Provider=AzureStorage</c>).
/// </summary>
public sealed record SiloSettings
{
    public ClusterProvider Provider { get; init; } = ClusterProvider.Embedded;

    /// <summary>Storage account (AzureStorage) or PostgreSQL (PostgreSql) connection string.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>Orleans cluster id: silos with the same one form a cluster. A fresh one per deployment run starts fastest.</summary>
    public string ClusterId { get; init; } = "rtc";

    /// <summary>Orleans service id: keeps grain state across clusters; never change it for a deployment.</summary>
    public string ServiceId { get; init; } = "rtc";

    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Address other silos and clients reach this silo at, and the only one its Orleans ports listen on (cluster profiles).</summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Region this silo serves (node selection, routing).</summary>
    public string Region { get; init; } = "local";

    /// <summary>Embedded profile: directory of the SQLite file.</summary>
    public string DataDirectory { get; init; } = ".data";

    /// <summary>Azure profile: table holding room event logs.</summary>
    public string EventTable { get; init; } = "RtcRoomEvents";

    /// <summary>Azure profile: blob container finished recording files are uploaded to ("Recording:BlobContainer").</summary>
    public string RecordingContainer { get; init; } = Grains.Recordings.BlobRecordingStore.DefaultContainer;

    /// <summary>Where the gateway listens.</summary>
    public string GatewayUrl { get; init; } = "http://127.0.0.1:8080";

    public static SiloSettings From(IConfiguration config)
    {
        var d = new SiloSettings();
        string provider = config["Cluster:Provider"] ?? nameof(ClusterProvider.Embedded);
        if (!Enum.TryParse<ClusterProvider>(provider, ignoreCase: true, out var p))
            throw new InvalidOperationException($"Cluster:Provider must be Embedded, AzureStorage or PostgreSql, not '{provider}'.");
        var s = new SiloSettings
        {
            Provider = p,
            ConnectionString = config["Cluster:ConnectionString"] ?? d.ConnectionString,
            ClusterId = config["Cluster:ClusterId"] ?? d.ClusterId,
            ServiceId = config["Cluster:ServiceId"] ?? d.ServiceId,
            SiloPort = config.GetValue("Silo:SiloPort", d.SiloPort),
            GatewayPort = config.GetValue("Silo:GatewayPort", d.GatewayPort),
            AdvertisedAddress = IPAddress.Parse(config["Silo:AdvertisedAddress"] ?? d.AdvertisedAddress.ToString()),
            Region = config["Silo:Region"] ?? d.Region,
            DataDirectory = config["Storage:DataDirectory"] ?? d.DataDirectory,
            EventTable = config["Storage:EventTable"] ?? d.EventTable,
            RecordingContainer = config["Recording:BlobContainer"] ?? d.RecordingContainer,
            GatewayUrl = config["Gateway:Url"] ?? d.GatewayUrl,
        };
        if (s.Provider != ClusterProvider.Embedded && string.IsNullOrWhiteSpace(s.ConnectionString))
            throw new InvalidOperationException($"Cluster:Provider={s.Provider} needs Cluster:ConnectionString.");
        return s;
    }
}
