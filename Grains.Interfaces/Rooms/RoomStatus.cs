namespace Grains.Interfaces.Rooms;

[GenerateSerializer, Alias("Rtc.RoomStatus")]
public enum RoomStatus
{
    /// <summary>Never created, or not known to this store.</summary>
    None = 0,
    Open = 1,
    Closed = 2,
}
