namespace Grains.Interfaces.Signaling;

/// <summary>
/// A gateway's receiver of urgent room notifications, pushed to it directly (grain observer calls) besides
/// the queue-backed stream, whose delivery waits for the queue's pulling agent: after a silo died that agent
/// may be starting on another silo, exactly when reconnect requests are sent.
/// </summary>
[Alias("Rtc.IRoomNotificationObserver")]
public interface IRoomNotificationObserver : IGrainObserver
{
    [Alias("Notify")] Task NotifyAsync(RoomNotification notification);
}
