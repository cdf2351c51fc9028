using Grains.Interfaces.Rooms;

namespace Grains.Rooms;

/// <summary>
/// What the room grain persists ("room" in storage "rtc"): its state as of <see cref="RoomSnapshot.LastSequence"/>,
/// a checkpoint of its log. The log stays the truth: on activation the grain applies any events stored
/// after the checkpoint (a write lost to a crash between the append and the state write).
/// </summary>
[GenerateSerializer, Alias("Rtc.RoomState")]
public sealed class RoomState
{
    /// <summary>Null until the room's first event.</summary>
    [Id(0)] public RoomSnapshot? Snapshot { get; set; }

    /// <summary>Since when an open room has had no participants (null when someone is in it).</summary>
    [Id(1)] public DateTimeOffset? EmptySince { get; set; }
}
