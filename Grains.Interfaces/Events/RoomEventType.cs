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
    /// <summary>A recording started (<see cref="RoomEvent.RecordingId"/>); the room's state does not change.</summary>
    RecordingStarted = 11,
    RecordingStopped = 12,
    /// <summary>A recording stopped on an error (<see cref="RoomEvent.Reason"/>, e.g. a full disk).</summary>
    RecordingFailed = 13,
}
