using System.Net;
using MediaPlane.Contracts;
using MediaPlane.Relay;
using MediaPlane.Relay.Peers;
using MediaPlane.Relay.Probing;
using MediaPlane.Relay.Routes;

namespace MediaPlane.WebRtc;

/// <summary>
/// The narrow door from the control plane to a silo's media plane (ARCHITECTURE.md): data in (requests,
/// tracks, ids), data out (answers, snapshots, counters, observer events). Sessions, producers and
/// consumers stay inside the media plane.
/// </summary>
public interface IMediaNode : IDisposable
{
    /// <summary>Throws <see cref="MediaSessionException"/> when the session cannot be opened.</summary>
    MediaSessionAnswer Open(MediaSessionRequest request);

    /// <summary>
    /// ICE restart: new local credentials for an open session; null when it is not open. The client's new
    /// a=ice-pwd signs the checks sent before an address move (null: no moves until the next restart with one).
    /// </summary>
    MediaSessionAnswer? RestartIce(string sessionId, string remoteUfrag, string? remotePassword = null);

    bool Close(string sessionId, SessionCloseReason reason = SessionCloseReason.Requested, string? detail = null);

    int SessionCount { get; }

    /// <summary>Ids of every open session, connected or not (the reconciler compares them with the grains').</summary>
    IReadOnlyList<string> SessionIds();

    bool HasSession(string sessionId);

    /// <summary>Open sessions that have not finished ICE and DTLS yet (bounded per node: Limits:UnconnectedSessionsPerNode).</summary>
    int UnconnectedSessionCount { get; }

    /// <summary>Counters of every connected, open session, taken now (reads only: no locks on the media path).</summary>
    IReadOnlyList<MediaSessionSnapshot> SnapshotSessions();

    /// <summary>
    /// A subscriber session's downlink estimate from its transport-cc feedback, taken now; null when the session is
    /// not open here or did not negotiate transport-wide sequence numbers.
    /// </summary>
    SubscriberBandwidthSnapshot? GetSubscriberBandwidth(string sessionId);

    /// <summary>A session's subscriptions and, for simulcast tracks, the layer each forwards; empty when not open.</summary>
    IReadOnlyList<SubscriptionSnapshot> SnapshotSubscriptions(string sessionId);

    /// <summary>
    /// Asks every simulcast subscription of the session to forward the layer named <paramref name="rid"/> (null: the
    /// highest) from its next keyframe. Returns how many subscriptions have such a layer.
    /// </summary>
    int RequestLayer(string sessionId, string? rid);

    /// <summary>
    /// The smoothed audio level of every connected publisher's audio track that negotiated RFC 6464 (reads only, any
    /// thread): the control plane samples it a few times a second for the room's active speaker.
    /// </summary>
    IReadOnlyList<AudioLevelSample> SampleAudioLevels();

    int Port { get; }

    string AdvertisedAddress { get; }

    long DatagramsReceived { get; }

    MediaPlaneCounters Counters { get; }

    /// <summary>Where other nodes reach this node's relay port; null when the relay is off.</summary>
    IPEndPoint? RelayEndPoint { get; }

    RelayCounters? RelayCounters { get; }

    /// <summary>
    /// Sends a stream on this node to another node's relay port (once, however many subscribers that node
    /// has), or refreshes the export. True when new. Exports the destination stops keeping alive expire.
    /// Throws <see cref="MediaSessionException"/> when the stream is not here or the relay is off.
    /// </summary>
    bool ExportTrack(string roomId, string streamId, string destinationNodeId, IPEndPoint destination);

    bool StopExport(string streamId, string destinationNodeId);

    /// <summary>
    /// Makes a stream of another node available to sessions here, fed by that node's export. True when new;
    /// idempotent. An import without consumers for a while, or whose stream ended at the origin, is dropped.
    /// </summary>
    bool ImportTrack(string roomId, PublishedTrack track, string sourceNodeId, IPEndPoint source);

    bool StopImport(string streamId);

    /// <summary>The track of a stream on this node (published here or imported), or null.</summary>
    PublishedTrack? FindTrack(string streamId);

    /// <summary>True when the stream is on this node as an import (a relayed producer).</summary>
    bool IsImported(string streamId);

    /// <summary>
    /// Records streams of this node into files (Recording/Live): starts the recording, or adds files or streams to
    /// it. Throws <see cref="MediaSessionException"/> for a stream not here or a codec the container cannot hold.
    /// </summary>
    LiveRecordingStatus Record(LiveRecordingRequest request);

    /// <summary>The recording's files as they are now; null when this node has no such recording.</summary>
    LiveRecordingStatus? RecordingStatus(string recordingId);

    /// <summary>Finishes the recording's files (indexed and closed) and returns them; null when there is no such recording.</summary>
    LiveRecordingStatus? StopRecording(string recordingId);

    /// <summary>Ids of the recordings on this node.</summary>
    IReadOnlyList<string> RecordingIds();

    /// The other media nodes, each at the relay endpoint this node reaches it at: relay v2 accepts datagrams only
    /// from these endpoints and probes each about once a second. Replaces the previous set; true when it changed.
    /// </summary>
    bool SetRelayPeers(IEnumerable<RelayPeerInfo> peers);

    /// <summary>The probed links from this node to its relay peers (round-trip time, loss, jitter).</summary>
    IReadOnlyList<RelayLinkMeasurement> MeasureRelayLinks();

    /// <summary>Installs a next-hop table pushed by the route control node; false when it is not newer than the current one.</summary>
    bool ApplyRelayRoutes(RelayRouteTable table);

    /// <summary>The next-hop table in use (version 0 and empty before the first push).</summary>
    RelayRouteTable RelayRoutes { get; }
}
