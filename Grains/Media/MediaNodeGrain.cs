using System.Collections.Immutable;
using System.Net;
using Grains.Interfaces.Recordings;
using Grains.Recordings;
using Microsoft.Extensions.Options;
using Grains.Interfaces.Media;
using Grains.Interfaces.Streams;
using Grains.Placement;
using MediaPlane.Contracts;
using MediaPlane.Dtls;
using MediaPlane.Rtp;
using MediaPlane.WebRtc;

namespace Grains.Media;

/// <summary>The control plane's door to this silo's media plane; see <see cref="IMediaNodeGrain"/>.</summary>
[SiloBoundPlacement]
public sealed class MediaNodeGrain(IMediaNode node, MediaNodeService service, IOptions<MediaNodeOptions> options, IRecordingStore store)
    : Grain, IMediaNodeGrain
{
    public Task<MediaSessionGrant> OpenSessionAsync(MediaSessionSpec spec)
    {
        var fingerprints = new List<DtlsFingerprint>();
        foreach (var text in spec.RemoteFingerprints)
        {
            if (!DtlsFingerprint.TryParse(text, out var fingerprint) || fingerprint is null)
                throw new MediaNodeException($"Unusable DTLS fingerprint '{text}'.");
            fingerprints.Add(fingerprint);
        }
        var request = new MediaSessionRequest(
            spec.SessionId,
            spec.RemoteUfrag,
            fingerprints,
            spec.DtlsServer ? DtlsRole.Server : DtlsRole.Client,
            spec.Publish.Select(ToPublishedTrack).ToList(),
            spec.Subscribe.Select(t => new SubscribedTrack(t.StreamId, t.OutputSsrc, t.OutputRtxSsrc, t.PayloadType, t.RtxPayloadType, t.Mid,
                ToMediaPlane(t.Extensions))
            {
                PreferredRid = t.PreferredRid,
            }).ToList(),
            spec.TransportWideCcExtensionId,
            spec.RemoteIcePassword,
            spec.AudioLevelExtensionId,
            spec.RembAbsSendTimeExtensionId);
        service.RequireRoomForUnconnectedSession();
        MediaSessionAnswer answer;
        try
        {
            answer = node.Open(request);
        }
        catch (MediaSessionException e)
        {
            throw new MediaNodeException(e.Message);
        }
        return Task.FromResult(new MediaSessionGrant(answer.SessionId, this.GetPrimaryKeyString(), answer.LocalUfrag, answer.LocalPassword,
            answer.LocalFingerprint.ToString(), answer.Address, answer.Port));
    }

    private static PublishedTrack ToPublishedTrack(PublishTrackSpec t) =>
        new(t.StreamId, ToMediaKind(t.Kind), t.Ssrc, t.RtxSsrc, t.PayloadType, t.RtxPayloadType, t.ClockRate, t.Codec, ToMediaPlane(t.Extensions))
        {
            SimulcastRids = t.SimulcastRids.IsDefault ? [] : t.SimulcastRids,
            RidExtensionId = t.RidExtensionId,
            RepairedRidExtensionId = t.RepairedRidExtensionId,
            Mid = t.Mid,
            MidExtensionId = t.MidExtensionId,
        };

    public Task<ImmutableArray<NodeSubscriptionInfo>> GetSubscriptionsAsync(string sessionId) =>
        Task.FromResult(node.SnapshotSubscriptions(sessionId)
            .Select(s => new NodeSubscriptionInfo(s.StreamId, s.CurrentRid, s.RequestedRid,
                [.. s.Layers.Select(l => new SimulcastLayerInfo(l.Rid, l.BitsPerSecond))]))
            .ToImmutableArray());

    public Task<int> RequestLayerAsync(string sessionId, string? rid) => Task.FromResult(node.RequestLayer(sessionId, rid));

    public Task<bool> CloseSessionAsync(string sessionId) => Task.FromResult(node.Close(sessionId));

    public Task<MediaNodeInfo> GetInfoAsync() => Task.FromResult(service.CurrentInfo());

    public Task<MediaSessionGrant?> RestartIceAsync(string sessionId, string remoteUfrag, string? remotePassword = null)
    {
        var answer = Refuse(() => node.RestartIce(sessionId, remoteUfrag, remotePassword));
        return Task.FromResult(answer is null ? null : new MediaSessionGrant(answer.SessionId, this.GetPrimaryKeyString(), answer.LocalUfrag,
            answer.LocalPassword, answer.LocalFingerprint.ToString(), answer.Address, answer.Port));
    }

    public async Task<bool> ImportTrackAsync(string roomId, string streamId, string originNodeId)
    {
        // Published here after all: nothing to import. Imported already: ask the origin again, which refreshes.
        if (originNodeId == this.GetPrimaryKeyString() || (node.FindTrack(streamId) is not null && !node.IsImported(streamId)))
            return false;
        var relay = node.RelayEndPoint ?? throw new MediaNodeException("This media node has no relay port.");
        var origin = GrainFactory.GetGrain<IMediaNodeGrain>(originNodeId);
        var export = await origin.ExportTrackAsync(roomId, streamId, this.GetPrimaryKeyString(), relay.Address.ToString(), relay.Port);
        if (!IPAddress.TryParse(export.RelayAddress, out var address))
            throw new MediaNodeException($"Media node '{originNodeId}' has an unusable relay address.");
        var t = export.Track;
        var track = new PublishedTrack(t.StreamId, ToMediaKind(t.Kind), t.Ssrc, t.RtxSsrc, t.PayloadType, t.RtxPayloadType, t.ClockRate, t.Codec,
            ToMediaPlane(t.Extensions));
        return Refuse(() => node.ImportTrack(roomId, track, originNodeId, new IPEndPoint(address, export.RelayPort)));
    }

    public Task<bool> StopImportAsync(string streamId) => Task.FromResult(node.StopImport(streamId));

    public Task<RelayExport> ExportTrackAsync(string roomId, string streamId, string destinationNodeId, string destinationAddress, int destinationPort)
    {
        var relay = node.RelayEndPoint ?? throw new MediaNodeException("This media node has no relay port.");
        if (!IPAddress.TryParse(destinationAddress, out var address) || destinationPort is <= 0 or > 65535)
            throw new MediaNodeException($"Unusable relay address {destinationAddress}:{destinationPort}.");
        bool created = Refuse(() => node.ExportTrack(roomId, streamId, destinationNodeId, new IPEndPoint(address, destinationPort)));
        var t = node.FindTrack(streamId) ?? throw new MediaNodeException($"Stream '{streamId}' is not published on this node.");
        var spec = new PublishTrackSpec(t.StreamId, t.Kind == MediaKind.Audio ? StreamKind.Audio : StreamKind.Video, t.Ssrc, t.RtxSsrc,
            t.PayloadType, t.RtxPayloadType, t.ClockRate, t.Codec,
            Extensions: t.Extensions is { } extensions ? [.. extensions.Select(e => new HeaderExtensionSpec(e.Uri, e.Id))] : default);
        return Task.FromResult(new RelayExport(spec, relay.Address.ToString(), relay.Port, created));
    }

    public Task<bool> StopExportAsync(string streamId, string destinationNodeId) => Task.FromResult(node.StopExport(streamId, destinationNodeId));

    public Task<long?> GetSubscriberEstimateAsync(string sessionId) =>
        Task.FromResult(node.GetSubscriberBandwidth(sessionId)?.EstimatedBitsPerSecond);

    public Task<ImmutableArray<NodeRecordedFileStatus>> RecordAsync(NodeRecordingRequest request) =>
        Task.FromResult(NodeRecordings.Record(node, options.Value, request));

    public Task<ImmutableArray<NodeRecordedFileStatus>> RecordingStatusAsync(string recordingId) =>
        Task.FromResult(NodeRecordings.ToStatus(node.RecordingStatus(recordingId)));

    /// <summary>Stopping waits for the writer thread to finish the files (off the grain's scheduler), then stores them.</summary>
    public async Task<ImmutableArray<NodeRecordedFileStatus>> StopRecordingAsync(string recordingId) =>
        await NodeRecordings.StoreAsync(store, recordingId, NodeRecordings.ToStatus(await Task.Run(() => node.StopRecording(recordingId))));

    public Task ApplyRouteTableAsync(long pushVersion, Grains.Interfaces.Routing.RouteTable table)
    {
        if (node.RelayEndPoint is not null && table.Node == this.GetPrimaryKeyString())
            node.ApplyRelayRoutes(new MediaPlane.Relay.Routes.RelayRouteTable(pushVersion,
                table.Routes.ToDictionary(r => r.Destination, r => r.NextHop, StringComparer.Ordinal)));
        return Task.CompletedTask;
    }

    private static T Refuse<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (MediaSessionException e)
        {
            throw new MediaNodeException(e.Message);
        }
    }

    private static List<NegotiatedHeaderExtension>? ToMediaPlane(ImmutableArray<HeaderExtensionSpec> extensions) =>
        extensions.IsDefaultOrEmpty ? null : extensions.Select(e => new NegotiatedHeaderExtension(e.Uri, e.Id)).ToList();

    private static MediaKind ToMediaKind(StreamKind kind) => kind == StreamKind.Audio ? MediaKind.Audio : MediaKind.Video;
}
