using Orleans.Concurrency;

namespace Grains.Interfaces.Media;

/// <summary>
/// One WHIP/WHEP session, keyed by its id (the last segment of its Location URL). It opens the session
/// (<see cref="OpenAsync"/>) and, when it ends for any reason (DELETE, consent timeout, DTLS failure, node
/// death), undoes what it did in the room: unpublish or unsubscribe, and leave when the participant has
/// nothing left. Reads interleave with a running open or close (they see the last recorded state).
/// </summary>
[Alias("Rtc.IClientSessionGrain")]
public interface IClientSessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the session in one call: the room (created for a publisher if missing), join and publish or subscribe
    /// as one room call, relay imports of streams published on other nodes, the session on the chosen node, and
    /// the record. A step that fails undoes the ones before it (nothing is left joined, published, subscribed or
    /// open) and its error is thrown (<see cref="Rooms.RoomException"/>, <see cref="MediaNodeException"/>).
    /// Idempotent: opening again with the same session id returns the first answer and changes nothing.
    /// </summary>
    [Alias("Open")] Task<OpenedSession> OpenAsync(OpenSessionRequest request);

    /// <summary>Records a session opened elsewhere (tests arrange sessions with it).</summary>
    [Alias("Record")] Task RecordAsync(ClientSessionInfo info);

    /// <summary>Null when no such session was recorded.</summary>
    [AlwaysInterleave, Alias("Get")] Task<ClientSessionInfo?> GetAsync();

    [Alias("MarkConnected")] Task MarkConnectedAsync();

    /// <summary>Ends the session: closes it on its node (unless the node reported the end) and updates the room. Idempotent.</summary>
    [Alias("Close")] Task CloseAsync(string reason, bool closedByNode);

    /// <summary>
    /// Moderation (kick, leave, unpublish, room closed): ends the session as <see cref="CloseAsync"/> does. With
    /// <paramref name="onlyIfCarrying"/>, only when this session publishes that stream or subscribes to it (a viewer's
    /// WHEP session on an unpublished track ends with it). One-way: the room calls it and must not wait, since the
    /// session's clean-up calls the room.
    /// </summary>
    [OneWay, Alias("End")] Task EndAsync(string reason, string? onlyIfCarrying);

    /// <summary>
    /// The session's media node died: tells the room's clients to reconnect this session, then closes it.
    /// Ignored when the session lives on another node or is closed already.
    /// </summary>
    [Alias("NodeLost")] Task NodeLostAsync(string nodeId);

    /// <summary>
    /// The media node's sample of one of this publisher's audio streams (dBov, smoothed): passed on to the room's
    /// <see cref="Rooms.IRoomSpeakersGrain"/> with the session's identity. Ignored when the session is not publishing.
    /// </summary>
    [OneWay, AlwaysInterleave, Alias("ReportAudioLevel")] Task ReportAudioLevelAsync(string streamId, int levelDbov);

    /// <summary>What the media node last reported (in memory: empty after the grain reactivates).</summary>
    [AlwaysInterleave, Alias("GetMediaState")] Task<ClientSessionMediaState> GetMediaStateAsync();

    /// <summary>
    /// ICE restart on the session's node with the client's new ufrag; the session's entity tag becomes
    /// <paramref name="newETag"/>. Null when the session is closed or no longer open on its node.
    /// </summary>
    [Alias("RestartIce")] Task<MediaSessionGrant?> RestartIceAsync(string remoteUfrag, string newETag, string? remotePassword = null);
}
