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
}
