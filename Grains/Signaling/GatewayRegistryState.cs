using Grains.Interfaces.Signaling;

namespace Grains.Signaling;

[GenerateSerializer, Alias("Rtc.GatewayRegistryState")]
public sealed class GatewayRegistryState
{
    /// <summary>Each registered gateway's observer, by gateway id. Refresh times are kept in memory only.</summary>
    [Id(0)] public Dictionary<string, IRoomNotificationObserver> Observers { get; set; } = new(StringComparer.Ordinal);
}
