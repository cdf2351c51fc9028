using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Grains.Interfaces.Media;

/// <summary>
/// The media plane of one silo, keyed by that silo's node id and always activated on it (silo-bound
/// placement). The control plane's only door to the packets: open and close sessions.
/// Refusals are <see cref="MediaNodeException"/>.
/// </summary>
[Alias("Rtc.IMediaNodeGrain")]
public interface IMediaNodeGrain : IGrainWithStringKey
{
    [Alias("OpenSession")] Task<MediaSessionGrant> OpenSessionAsync(MediaSessionSpec spec);

    /// <summary>False when no such session was open.</summary>
    [Alias("CloseSession")] Task<bool> CloseSessionAsync(string sessionId);

    [Alias("GetInfo")] Task<MediaNodeInfo> GetInfoAsync();

    /// <summary>ICE restart of an open session: new local credentials; null when the session is not open here.</summary>
    [Alias("RestartIce")] Task<MediaSessionGrant?> RestartIceAsync(string sessionId, string remoteUfrag, string? remotePassword = null);

    /// <summary>A session's subscriptions with, for simulcast streams, the layer forwarded now; empty when not open here.</summary>
    [AlwaysInterleave, Alias("GetSubscriptions")] Task<ImmutableArray<NodeSubscriptionInfo>> GetSubscriptionsAsync(string sessionId);

    /// <summary>
    /// Every simulcast subscription of the session forwards the layer named <paramref name="rid"/> (null: the highest)
    /// from that layer's next keyframe. Returns how many subscriptions have such a layer (0: none changed).
    /// </summary>
    [AlwaysInterleave, Alias("RequestLayer")] Task<int> RequestLayerAsync(string sessionId, string? rid);

    /// <summary>
    /// Makes a stream published on <paramref name="originNodeId"/> available to sessions on this node: asks
    /// the origin to export it to this node's relay port (once, however many local subscribers) and imports
    /// it here. Idempotent: true only when the import is new. Nothing needs undoing: an import without
    /// subscribers for a while is dropped (and the origin's export, no longer kept alive, expires), and one
    /// whose stream ended at the origin is dropped at once. Refusals are <see cref="MediaNodeException"/>.
    /// </summary>
    [Alias("ImportTrack")] Task<bool> ImportTrackAsync(string roomId, string streamId, string originNodeId);

    /// <summary>Drops an import at once (its local consumers are detached). False when there was none.</summary>
    [Alias("StopImport")] Task<bool> StopImportAsync(string streamId);

    /// <summary>
    /// Called by an importing node on the origin: starts (or refreshes) sending the stream to the importer's
    /// relay port, and describes the track and this node's relay port. Interleaves, so two nodes importing
    /// from each other at once cannot deadlock.
    /// </summary>
    [AlwaysInterleave, Alias("ExportTrack")]
    Task<RelayExport> ExportTrackAsync(string roomId, string streamId, string destinationNodeId, string destinationAddress, int destinationPort);

    /// <summary>Stops an export. False when there was none.</summary>
    [AlwaysInterleave, Alias("StopExport")] Task<bool> StopExportAsync(string streamId, string destinationNodeId);

    /// <summary>Starts or extends a recording of streams on this node (files under its recording storage).</summary>
    [Alias("Record")] Task<ImmutableArray<Recordings.NodeRecordedFileStatus>> RecordAsync(Recordings.NodeRecordingRequest request);

    /// <summary>The recording's files on this node now; empty when it has none.</summary>
    [AlwaysInterleave, Alias("RecordingStatus")] Task<ImmutableArray<Recordings.NodeRecordedFileStatus>> RecordingStatusAsync(string recordingId);

    /// <summary>Finishes the recording's files here (and uploads them on the Azure profile); their final status.</summary>
    [Alias("StopRecording")] Task<ImmutableArray<Recordings.NodeRecordedFileStatus>> StopRecordingAsync(string recordingId);

    /// <summary>
    /// A subscriber session's downlink estimate in bit/s, from its transport-cc feedback; null when the session is not
    /// open here or did not negotiate transport-cc. A read of the media plane's counters: interleaves.
    /// </summary>
    [AlwaysInterleave, Alias("GetSubscriberEstimate")] Task<long?> GetSubscriberEstimateAsync(string sessionId);

    /// <summary>
    /// The route table grain pushes this node's next-hop table. <paramref name="pushVersion"/> grows across the
    /// grain's activations, so a node ignores a push older than the table it has (a delayed or repeated push).
    /// One-way: the grain does not wait for nodes.
    /// </summary>
    [OneWay, AlwaysInterleave, Alias("ApplyRouteTable")]
    Task ApplyRouteTableAsync(long pushVersion, Routing.RouteTable table);
}

/// <summary>A media node refused a session; the message is safe to show the client.</summary>
[GenerateSerializer, Alias("Rtc.MediaNodeException")]
public sealed class MediaNodeException(string message) : Exception(message);
