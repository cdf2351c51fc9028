namespace Grains.Interfaces.Events;

/// <summary>Kinds of room change. Values are stored: never renumber.</summary>
[GenerateSerializer, Alias("Rtc.RoomEventType")]
public enum RoomEventType
{
    Created = 1,
    Joined = 2,
    Left = 3,
    Kicked = 4,
    Published = 5,
    Unpublished = 6,
    Subscribed = 7,
    Unsubscribed = 8,
    Closed = 9,
    /// <summary>An admin lifted a kicked identity's ban before it ran out.</summary>
    Unbanned = 10,
}
