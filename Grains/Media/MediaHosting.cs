using Grains.Placement;
using MediaPlane.WebRtc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grains.Media;

public static class MediaHosting
{
    /// <summary>
    /// Adds this silo's media node: the UDP media port (section "MediaPort": BindAddress, Port,
    /// AdvertisedAddress, ReceiveLoops), the UDP relay port ("RelayPort": same keys, default port 7883;
    /// "Relay:ClusterKey"), its region ("Silo:Region"), the silo-bound placement of media
    /// node grains, the hosted service that runs it, and the watcher that handles other silos' deaths.
    /// </summary>
    public static ISiloBuilder AddMediaNode(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.Configure<MediaNodeOptions>(options =>
        {
            configuration.GetSection("MediaPort").Bind(options.Port);
            configuration.GetSection("RelayPort").Bind(options.RelayPort);
            options.RelayClusterKey = configuration["Relay:ClusterKey"] ?? options.RelayClusterKey;
            options.Region = configuration["Silo:Region"] ?? options.Region;
            if (TimeSpan.TryParse(configuration["Relay:ProbeInterval"], System.Globalization.CultureInfo.InvariantCulture, out var probe) && probe >= TimeSpan.Zero)
                options.RelayProbeInterval = probe;
            foreach (var peer in configuration.GetSection("Relay:PeerEndpoints").GetChildren())
                if (!string.IsNullOrWhiteSpace(peer.Value))
                    options.RelayPeerEndpoints[peer.Key] = peer.Value;
            if (TimeSpan.TryParse(configuration["MediaNode:ReconcilePeriod"], System.Globalization.CultureInfo.InvariantCulture, out var reconcile) && reconcile > TimeSpan.Zero)
                options.ReconcilePeriod = reconcile;
            options.RecordingDirectory = configuration["Recording:Directory"]
                ?? Path.Combine(configuration["Storage:DataDirectory"] ?? ".data", "recordings");
            if (int.TryParse(configuration["Limits:UnconnectedSessionsPerNode"], out int unconnected))
                options.UnconnectedSessionsLimit = unconnected;
            if (int.TryParse(configuration["Limits:AddressMovesPerSession"], out int moves) && moves >= 0)
                options.AddressMoves = options.AddressMoves with { MaxMovesPerWindow = moves };
            if (TimeSpan.TryParse(configuration["Limits:AddressMoveWindow"], System.Globalization.CultureInfo.InvariantCulture, out var window) && window > TimeSpan.Zero)
                options.AddressMoves = options.AddressMoves with { Window = window };
        });
        silo.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();
        silo.Services.TryAddSingleton<Recordings.IRecordingStore, Recordings.LocalRecordingStore>();
        silo.Services.AddSingleton<MediaNodeService>();
        silo.Services.AddSingleton<IMediaNode>(sp => sp.GetRequiredService<MediaNodeService>().Node);
        silo.Services.AddHostedService(sp => sp.GetRequiredService<MediaNodeService>());
        // Observable instruments over the node's counters, read only when a metrics exporter collects.
        silo.Services.AddMetrics();
        silo.Services.AddSingleton<MediaNodeMetrics>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<MediaNodeMetrics>());
        silo.Services.AddHostedService<NodeFailureWatcher>();
        silo.Services.AddHostedService<Routing.RelayLinkReporter>();
        silo.Services.AddSingleton<MediaNodeReconciler>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<MediaNodeReconciler>());
        return silo;
    }
}
