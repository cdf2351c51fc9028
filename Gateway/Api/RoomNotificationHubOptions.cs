namespace Gateway.Api;

public sealed class RoomNotificationHubOptions
{
    /// <summary>
    /// The id this gateway registers under; null for a fresh one per process. A silo that hosts the gateway sets
    /// <c>IGatewayRegistryGrain.SiloGatewayId</c> so that its registration is dropped when the silo dies.
    /// </summary>
    public string? GatewayId { get; set; }
}
