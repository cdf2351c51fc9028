namespace Grains.Interfaces.Signaling;

/// <summary>Kinds of room notification. Values travel through queues: never renumber.</summary>
[GenerateSerializer, Alias("Rtc.RoomNotificationType")]
public enum RoomNotificationType
{
    ParticipantJoined = 1,
    /// <summary>Left or kicked (then with a reason).</summary>
    ParticipantLeft = 2,
    TrackPublished = 3,
    TrackUnpublished = 4,
    /// <summary>A session's media node died: the client should POST a new offer (<see cref="RoomNotification.SessionId"/>).</summary>
    ReconnectRequested = 5,
    RoomClosed = 6,
    /// <summary>The room's dominant speaker changed (<see cref="RoomNotification.Identity"/>, null for nobody; all speakers
    /// in <see cref="RoomNotification.Speakers"/>, dominant first). Not logged: <see cref="RoomNotification.Sequence"/> is 0.</summary>
    ActiveSpeakers = 7,
    RecordingStarted = 8,
    RecordingStopped = 9,
    /// <summary>A recording stopped on an error (<see cref="RoomNotification.Reason"/>).</summary>
    RecordingFailed = 10,
}

/// <summary>
/// What clients of a room are told, published on <see cref="RtcStreams.RoomNotify"/> keyed by the room id.
/// Log-derived notifications carry the room log's <see cref="Sequence"/>; reconnect requests carry 0.
/// </summary>
[GenerateSerializer, Immutable, Alias("Rtc.RoomNotification")]
public sealed record RoomNotification
{
    [Id(0)] public required RoomNotificationType Type { get; init; }
    [Id(1)] public required string RoomId { get; init; }
    [Id(2)] public long Sequence { get; init; }
    [Id(3)] public required DateTimeOffset Timestamp { get; init; }
    [Id(4)] public string? Identity { get; init; }
    [Id(5)] public string? StreamId { get; init; }
    /// <summary>TrackPublished: "audio" or "video".</summary>
    [Id(6)] public string? Kind { get; init; }
    /// <summary>ReconnectRequested: the WHIP/WHEP session and its resource URL path.</summary>
    [Id(7)] public string? SessionId { get; init; }
    [Id(8)] public string? Resource { get; init; }
    [Id(9)] public string? Reason { get; init; }
    /// <summary>ActiveSpeakers: who speaks, dominant first.</summary>
    [Id(10)] public System.Collections.Immutable.ImmutableArray<SpeakerLevel> Speakers { get; init; } = [];
    [Id(11)] public string? RecordingId { get; init; }
}
