using MediaPlane.Relay;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Grains.Media;

/// <summary>
/// The media node's relay options from configuration: the "RelayPort" socket and the "Relay:ClusterKey".
/// Without a key (embedded/dev clusters) one is derived from ClusterId and ServiceId, and a warning says
/// so: anyone who knows those names could forge relay packets, so production must set Relay:ClusterKey.
/// RelayPort:AdvertisedAddress defaults to MediaPort:AdvertisedAddress when only that one is set.
/// </summary>
internal static partial class RelaySetup
{
    public static RelayOptions Create(MediaNodeOptions options, ClusterOptions cluster, string nodeId, ILogger logger)
    {
        byte[] key;
        if (string.IsNullOrWhiteSpace(options.RelayClusterKey))
        {
            key = RelayAuthenticator.DeriveDevelopmentKey(cluster.ClusterId, cluster.ServiceId);
            LogDerivedKey(logger);
        }
        else
            key = RelayClusterKey.Parse(options.RelayClusterKey);
        // Other silos reach this host where clients do, unless the relay has an address of its own (a private network).
        if (string.IsNullOrWhiteSpace(options.RelayPort.AdvertisedAddress) && !string.IsNullOrWhiteSpace(options.Port.AdvertisedAddress))
            options.RelayPort.AdvertisedAddress = options.Port.AdvertisedAddress;
        return new RelayOptions { NodeId = nodeId, ClusterKey = key, Port = options.RelayPort, ProbeInterval = options.RelayProbeInterval };
    }

    [LoggerMessage(22, LogLevel.Warning, "Relay:ClusterKey is not set: relay packets are authenticated with a key derived from the cluster and service ids. Set a random base64 key of at least 16 bytes in production.")]
    private static partial void LogDerivedKey(ILogger logger);

    [LoggerMessage(23, LogLevel.Information, "Relay port listening: other nodes use {Address} (bound {Bind})")]
    public static partial void LogListening(ILogger logger, string address, string bind);
}
