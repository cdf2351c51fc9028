using Grains.Interfaces.Rooms;

namespace Grains.Rooms;

/// <summary>What the room directory persists ("rooms" in storage "rtc"): each known room's status.</summary>
[GenerateSerializer, Alias("Rtc.RoomDirectoryState")]
public sealed class RoomDirectoryState
{
    [Id(0)] public Dictionary<string, RoomStatus> Rooms { get; set; } = new(StringComparer.Ordinal);
}
