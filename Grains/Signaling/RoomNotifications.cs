using Grains.Interfaces.Events;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Signaling;
using Grains.Interfaces.Streams;

namespace Grains.Signaling;

/// <summary>Which room log events clients are told about, and how.</summary>
public static class RoomNotifications
{
    /// <summary>
    /// The notification for a logged event, given the state before it (an unpublish names only the stream;
    /// its publisher comes from there); null for events clients are not told (subscriptions, creation).
    /// </summary>
    public static RoomNotification? From(RoomEvent e, RoomSnapshot before)
    {
        RoomNotificationType? type = e.Type switch
        {
            RoomEventType.Joined => RoomNotificationType.ParticipantJoined,
            RoomEventType.Left or RoomEventType.Kicked => RoomNotificationType.ParticipantLeft,
            RoomEventType.Published => RoomNotificationType.TrackPublished,
            RoomEventType.Unpublished => RoomNotificationType.TrackUnpublished,
            RoomEventType.Closed => RoomNotificationType.RoomClosed,
            RoomEventType.RecordingStarted => RoomNotificationType.RecordingStarted,
            RoomEventType.RecordingStopped => RoomNotificationType.RecordingStopped,
            RoomEventType.RecordingFailed => RoomNotificationType.RecordingFailed,
            _ => null,
        };
        if (type is null)
            return null;
        return new RoomNotification
        {
            Type = type.Value,
            RoomId = e.RoomId,
            Sequence = e.Sequence,
            Timestamp = e.Timestamp,
            Identity = e.Identity ?? before.Streams.FirstOrDefault(x => x.StreamId == e.StreamId)?.PublisherIdentity,
            StreamId = e.StreamId,
            Kind = e.Kind is { } kind ? (kind == StreamKind.Audio ? "audio" : "video") : null,
            Reason = string.IsNullOrEmpty(e.Reason) ? null : e.Reason,
            RecordingId = e.RecordingId,
        };
    }
}
