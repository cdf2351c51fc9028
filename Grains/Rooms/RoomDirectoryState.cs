using Grains.Interfaces.Rooms;

namespace Grains.Rooms;

/// <summary>What the room directory persists ("rooms" in storage "rtc"): each known room's status.</summary>
[GenerateSerializer, Alias("Rtc.RoomDirectoryState")]
public sealed class RoomDirectoryState
{
    [Id(0)] public Dictionary<string, RoomStatus> Rooms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When each closed room was seen closed; it leaves the directory <see cref="RoomDirectoryOptions.ClosedRoomRetention"/> later.</summary>
    [Id(1)] public Dictionary<string, DateTimeOffset> ClosedAt { get; set; } = new(StringComparer.Ordinal);
}
