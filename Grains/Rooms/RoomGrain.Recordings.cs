using Grains.Interfaces.Events;
using Grains.Interfaces.Rooms;

namespace Grains.Rooms;

/// <summary>Recording events in the room's log (the recording grain owns the recording; the room only records that it happened).</summary>
public sealed partial class RoomGrain
{
    public async Task LogRecordingAsync(RoomEventType type, string recordingId, string? reason)
    {
        if (type is not (RoomEventType.RecordingStarted or RoomEventType.RecordingStopped or RoomEventType.RecordingFailed))
            throw new RoomException(RoomErrorCode.Invalid, $"{type} is not a recording event.");
        RoomRules.Id(recordingId, "recording id");
        RequireCreated(); // a recording may stop after its room closed
        await CommitAsync(new RoomEvent
        {
            RoomId = RoomId, Timestamp = default, Type = type, RecordingId = recordingId,
            Reason = string.IsNullOrEmpty(reason) ? null : reason,
        });
    }
}
