namespace Gateway.Api;

/// <summary>Configuration section "RoomNotifications".</summary>
public sealed class RoomNotificationSocketOptions
{
    public const string Section = "RoomNotifications";

    /// <summary>
    /// How often each room socket checks that its stream subscription still exists. Orleans' pulling agent drops a
    /// subscription for good when it cannot reach the gateway for a moment; the socket then closes with 1012 so the
    /// client reconnects and resyncs, instead of silently receiving nothing more. Default 30 s.
    /// </summary>
    public TimeSpan SubscriptionCheckPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ticket from POST /v1/rooms/{id}/events/ws-ticket may wait to be redeemed (once). Default 30 s.</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Room sockets one identity (a token's <c>sub</c>) may hold open on this gateway at once; more are refused with 429. Default 8.</summary>
    public int MaxSocketsPerIdentity { get; set; } = 8;
}
