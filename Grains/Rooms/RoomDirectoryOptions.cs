namespace Grains.Rooms;

/// <summary>The room directory's bounds (configuration section "Rooms").</summary>
public sealed class RoomDirectoryOptions
{
    /// <summary>
    /// How long a closed room stays listed (GET /v1/rooms?includeClosed=true); then the directory forgets it, so the
    /// list does not grow forever. The room's own log and state stay in storage.
    /// </summary>
    public TimeSpan ClosedRoomRetention { get; set; } = TimeSpan.FromDays(1);
}
