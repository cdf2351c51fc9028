using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Grains.Interfaces.Signaling;
using Grains.Media;
using Grains.Storage.Sqlite;
using Grains.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;
using Silo.Hosting;

namespace Grains.Tests.Signaling;

/// <summary>
/// What the media-node cluster tests share (the cluster itself is <see cref="Rtc.TestCluster.TestClusters"/> with
/// <see cref="Rtc.TestCluster.TestClusterFeatures.MediaNodes"/>): session specs and ids.
/// </summary>
public static class MediaCluster
{
    /// <summary>A session spec the node accepts (no client will ever connect to it).</summary>
    public static MediaSessionSpec Spec(string sessionId, ImmutableArray<PublishTrackSpec> publish) => new(
        sessionId, "remoteufrag" + sessionId[..4], ["sha-256 " + string.Join(':', Enumerable.Range(0, 32).Select(i => i.ToString("X2")))],
        DtlsServer: true, publish, []);

    public static string NewSessionId() => Guid.NewGuid().ToString("N");

    public static string NodeId(InProcessSiloHandle silo) => silo.SiloAddress.ToParsableString();
}

/// <summary>Collects one stream's items with the moment each arrived.</summary>
public sealed class Recorder<T>
{
    private readonly List<(T Item, DateTimeOffset At)> _items = [];

    public Task OnNextAsync(T item)
    {
        lock (_items)
            _items.Add((item, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    public IReadOnlyList<(T Item, DateTimeOffset At)> Items
    {
        get { lock (_items) return _items.ToList(); }
    }
}

internal static class RtcTestStreams
{
    public static StreamId RoomNotify(string roomId) => StreamId.Create(RtcStreams.RoomNotify, roomId);
}
