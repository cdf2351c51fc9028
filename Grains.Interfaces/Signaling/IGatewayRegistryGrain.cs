using Orleans.Concurrency;
using System.Collections.Immutable;

namespace Grains.Interfaces.Signaling;

/// <summary>
/// The live gateways of the cluster and their <see cref="IRoomNotificationObserver"/>s, one grain for the
/// cluster (key <see cref="Key"/>), kept in storage so that a re-activation after its silo died still knows
/// them. Gateways register when they start and refresh every <see cref="RefreshPeriod"/>; one that has not
/// refreshed for <see cref="Expiry"/> is dropped.
/// </summary>
[Alias("Rtc.IGatewayRegistryGrain")]
public interface IGatewayRegistryGrain : IGrainWithStringKey
{
    public const string Key = "gateways";
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    /// <summary>The id of the gateway hosted in a silo: dropped as soon as that silo is declared dead.</summary>
    public static string SiloGatewayId(string nodeId) => "silo:" + nodeId;

    [Alias("Register")] Task RegisterAsync(string gatewayId, IRoomNotificationObserver observer);

    [Alias("Unregister")] Task UnregisterAsync(string gatewayId);

    [Alias("Gateways")] Task<ImmutableArray<string>> GetGatewaysAsync();

    /// <summary>
    /// Pushes a notification to every registered gateway at once, retrying each briefly (a gateway client may be
    /// moving its connection off a dead silo); returns how many gateways took it. Interleaves with other calls,
    /// so that a dead node's many sessions are announced side by side.
    /// </summary>
    [AlwaysInterleave, Alias("Broadcast")] Task<int> BroadcastAsync(RoomNotification notification);
}
