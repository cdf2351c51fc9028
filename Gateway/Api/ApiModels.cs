namespace Gateway.Api;

// Wire shapes of the REST API. They are the gateway's own types, not the grains' records: the API can
// evolve (names, units such as seconds instead of TimeSpan, enums as strings) without touching storage.

/// <summary>POST /v1/rooms. Absent limits mean "no limit"; an absent timeout means the default (300 s).</summary>
public sealed record CreateRoomRequest(
    string? RoomId = null,
    int? MaxParticipants = null,
    int? MaxPublishers = null,
    int? EmptyTimeoutSeconds = null,
    string? Metadata = null,
    int? KickBanSeconds = null);

/// <summary><c>kickBanSeconds</c>: how long a kicked identity may not rejoin (0 = at once).</summary>
public sealed record RoomOptionsDto(int MaxParticipants, int MaxPublishers, int EmptyTimeoutSeconds, string Metadata, int KickBanSeconds);

/// <summary>A room. <c>status</c> is "open" or "closed".</summary>
public sealed record RoomDto(
    string RoomId,
    string Status,
    RoomOptionsDto Options,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt,
    int ParticipantCount,
    int PublisherCount,
    int StreamCount);

/// <summary>GET /v1/rooms. <c>nextAfter</c> is the cursor for the next page, null at the end.</summary>
public sealed record RoomListDto(IReadOnlyList<RoomDto> Rooms, string? NextAfter);

/// <summary>
/// POST /v1/rooms/{id}/participants. Identity defaults to the token's sub; only an admin may name
/// another. Permissions default to what the token grants; asking for more is refused.
/// </summary>
public sealed record JoinRoomRequest(
    string? Identity = null,
    bool? Publish = null,
    bool? Subscribe = null,
    string? Metadata = null);

/// <summary>A participant. <c>permissions</c> holds "publish" and/or "subscribe".</summary>
public sealed record ParticipantDto(
    string RoomId,
    string Identity,
    IReadOnlyList<string> Permissions,
    DateTimeOffset JoinedAt,
    string Metadata,
    IReadOnlyList<ParticipantSessionDto>? Sessions = null);

/// <summary>
/// One open WHIP/WHEP session of a participant (in GET .../participants). <c>kind</c> is "publish" or
/// "subscribe", <c>status</c> "opening" or "connected"; <c>region</c> is the node's, absent when the node
/// is not live in the directory. <c>subscriptions</c> (subscribe sessions only) lists each subscribed stream and, for
/// a simulcast stream, its layers. <c>estimateKbps</c>: for a connected subscriber that negotiated transport-cc, the
/// node's send-side estimate of its downlink in kbit/s (README "Bandwidth estimation per subscriber").
/// </summary>
public sealed record ParticipantSessionDto(string SessionId, string Kind, string Status, string NodeId, string? Region,
    IReadOnlyList<SessionSubscriptionDto>? Subscriptions = null, long? EstimateKbps = null);

/// <summary>
/// One stream a subscribe session receives. For a simulcast stream: <c>layer</c> is the RID forwarded now (absent
/// before its first keyframe), <c>requestedLayer</c> the RID asked for, <c>layers</c> every layer with the bitrate
/// the node receives it at (0: the publisher does not send it now). All absent for a plain stream.
/// </summary>
public sealed record SessionSubscriptionDto(string StreamId, string? Layer, string? RequestedLayer, IReadOnlyList<SimulcastLayerDto>? Layers);

/// <summary>A simulcast layer by RID and its bitrate in bit/s as received from the publisher.</summary>
public sealed record SimulcastLayerDto(string Rid, long BitsPerSecond);

/// <summary>
/// A message of GET /v1/rooms/{id}/events/ws. <c>type</c>: "subscribed" (first message; <c>sequence</c> is
/// the room log's last sequence then), "participantJoined", "participantLeft", "trackPublished",
/// "trackUnpublished", "reconnectRequested", "roomClosed", "activeSpeakers" (the dominant speaker changed:
/// <c>identity</c> is the new one, absent for nobody; <c>speakers</c> lists who speaks, dominant first, with levels),
/// "recordingStarted", "recordingStopped", "recordingFailed" (with <c>recordingId</c>; a failure's <c>reason</c>).
/// Log-derived messages carry the log's <c>sequence</c>; fields a type does not use are omitted.
/// </summary>
public sealed record RoomNotificationDto(
    string Type,
    string RoomId,
    long? Sequence = null,
    DateTimeOffset? Timestamp = null,
    string? Identity = null,
    string? StreamId = null,
    string? Kind = null,
    string? SessionId = null,
    string? Resource = null,
    string? Reason = null,
    IReadOnlyList<SpeakerLevelDto>? Speakers = null,
    string? RecordingId = null);

/// <summary>One speaker of an <c>activeSpeakers</c> message: its smoothed audio level, -127 (silence) to 0 dBov (loudest).</summary>
public sealed record SpeakerLevelDto(string Identity, int Level);

public sealed record ParticipantListDto(IReadOnlyList<ParticipantDto> Participants);

/// <summary>POST /v1/rooms/{id}/streams. <c>kind</c> is "audio" or "video"; streamId is generated when absent.</summary>
public sealed record PublishStreamRequest(
    string? Kind = null,
    string? Codec = null,
    uint[]? Ssrcs = null,
    string? StreamId = null,
    string? Identity = null);

public sealed record StreamDto(
    string RoomId,
    string StreamId,
    string PublisherIdentity,
    string Kind,
    string Codec,
    IReadOnlyList<uint> Ssrcs,
    string OriginSilo,
    DateTimeOffset PublishedAt);

public sealed record StreamListDto(IReadOnlyList<StreamDto> Streams);

public sealed record SubscriptionDto(string RoomId, string StreamId, string SubscriberIdentity, DateTimeOffset SubscribedAt);

/// <summary>One entry of a room's log. Fields a type does not use are omitted.</summary>
public sealed record RoomEventDto(
    long Sequence,
    DateTimeOffset Timestamp,
    string Type,
    string? Identity,
    string? StreamId,
    RoomOptionsDto? Options,
    IReadOnlyList<string>? Permissions,
    string? Metadata,
    string? Kind,
    string? Codec,
    IReadOnlyList<uint>? Ssrcs,
    string? OriginSilo,
    string? Reason,
    string? RecordingId = null);

/// <summary>GET /v1/rooms/{id}/events. Pass <c>nextAfter</c> as <c>?after=</c>; null at the end of the log.</summary>
public sealed record RoomEventPageDto(string RoomId, IReadOnlyList<RoomEventDto> Events, long? NextAfter);

/// <summary>GET /v1/rooms/{id}/state: live, or rebuilt from the log at <c>?at=</c>.</summary>
public sealed record RoomStateDto(
    string RoomId,
    string Status,
    RoomOptionsDto Options,
    long LastSequence,
    DateTimeOffset? AsOf,
    IReadOnlyList<ParticipantDto> Participants,
    IReadOnlyList<StreamDto> Streams,
    IReadOnlyList<SubscriptionDto> Subscriptions);

public sealed record HealthDto(string Status);

/// <summary>
/// A media node (one per silo). Load fields come from the node's last report and are null for a silo known
/// only to membership (e.g. dead). <c>membership</c> is Orleans' state ("active", "joining", "shuttingDown",
/// "dead"...), null when membership could not be read; <c>live</c>: the node is offered to new clients.
/// <c>bitsPerSecond</c>: RTP payload received plus sent over the node's last report interval.
/// </summary>
public sealed record NodeDto(
    string NodeId,
    string? Region,
    string? MediaAddress,
    int? MediaPort,
    int? Sessions,
    double? PacketsPerSecond,
    double? CpuUsage,
    DateTimeOffset? ReportedAt,
    string? Membership,
    string? SiloName,
    bool Live,
    double? BitsPerSecond = null);

public sealed record NodeListDto(IReadOnlyList<NodeDto> Nodes);

/// <summary>
/// GET /v1/nodes/best. <c>reason</c>: "regionMatch" (the client's region has a node), "nearestRegion" (the
/// nearest configured neighbour region had one), "anyNode" (none near, least loaded anywhere) or
/// "unknownRegion" (the client's region is not known; least loaded anywhere).
/// </summary>
public sealed record BestNodeDto(NodeDto Node, string? ClientAddress, string? ClientRegion, string? Region, string Reason);

/// <summary>A single-use ticket for <c>GET /v1/rooms/{roomId}/events/ws?ticket=</c>, valid until <see cref="ExpiresAt"/>.</summary>
public sealed record RoomSocketTicketDto(string Ticket, DateTimeOffset ExpiresAt);

/// <summary>
/// POST /v1/rooms/{id}/recordings. <c>container</c>: "webm" (VP8, VP9, AV1 + Opus) or "mp4" (H.264, AV1 + Opus).
/// Without <c>participants</c> and <c>streamIds</c> the whole room is recorded, one file per participant.
/// </summary>
public sealed record StartRecordingRequest(string? Container = null, string[]? Participants = null, string[]? StreamIds = null);

/// <summary>
/// One file of a recording: a participant's part on one media node. <c>state</c>: "waiting" (for a keyframe),
/// "recording", "finished", "failed" or "lost" (its node died; complete up to its last cluster or fragment).
/// <c>startedAt</c> is its first frame; it covers <c>startedAt</c> + <c>durationSeconds</c>.
/// </summary>
public sealed record RecordingFileDto(string Name, string Identity, int Part, string NodeId, string State, DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt, double DurationSeconds, long Bytes, string? Error, string Url);

/// <summary>A recording. <c>status</c>: "recording", "stopped" or "failed" (then <c>error</c>).</summary>
public sealed record RecordingDto(string RecordingId, string RoomId, string Container, string Status, DateTimeOffset StartedAt,
    DateTimeOffset? StoppedAt, string? Error, IReadOnlyList<RecordingFileDto> Files);

public sealed record RecordingListDto(IReadOnlyList<RecordingDto> Recordings);
