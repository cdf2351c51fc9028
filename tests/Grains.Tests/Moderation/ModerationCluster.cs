using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Media;
using Grains.Interfaces.Signaling.Queues;
using Grains.SignalQueues;
using Grains.Signaling;
using Grains.Tests.Fixtures;
using Grains.Tests.Signaling;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Rtc.TestCluster;

namespace Grains.Tests.Moderation;

/// <summary>One silo with a real media node and in-memory signaling, shared by the tests of a class.</summary>
public sealed class ModerationCluster : IAsyncLifetime
{
    private readonly TempDirectory _data = new("rtc-moderation");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public MediaNodeService Media => Cluster.Silos[0].ServiceProvider.GetRequiredService<MediaNodeService>();

    public async Task InitializeAsync()
    {
        Cluster = TestClusters.Create(TestClusterFeatures.MediaNodes | TestClusterFeatures.ProductionMembership, 1, _data.Path,
            (_, silo) => silo.AddRtcMemoryStreams(StorageNames.StreamProvider),
            client => client.AddSignalQueueStreams(StorageNames.StreamProvider)).Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>Opens a session on the node and records it in the grains, as WHIP/WHEP do.</summary>
    public async Task<string> OpenAsync(string roomId, string identity, ClientSessionKind kind, params string[] streamIds)
    {
        string sessionId = MediaCluster.NewSessionId();
        var publish = kind == ClientSessionKind.Publish
            ? streamIds.Select((s, i) => new PublishTrackSpec(s, StreamKind.Video, 1000u + (uint)i * 2, null, 96, null, 90000, "VP8")).ToImmutableArray()
            : [];
        await Grains.GetGrain<IMediaNodeGrain>(Media.NodeId).OpenSessionAsync(MediaCluster.Spec(sessionId, publish));
        await Grains.GetGrain<IClientSessionGrain>(sessionId).RecordAsync(new ClientSessionInfo
        {
            SessionId = sessionId, RoomId = roomId, Identity = identity, Kind = kind, NodeId = Media.NodeId,
            StreamIds = [.. streamIds], Status = ClientSessionStatus.Opening, CreatedAt = DateTimeOffset.UtcNow,
        });
        return sessionId;
    }

    public async Task<IRoomGrain> NewRoomAsync(string prefix, RoomOptions? options = null)
    {
        var room = Grains.GetGrain<IRoomGrain>(ClusterFixture.NewRoomId(prefix));
        await room.CreateAsync(options ?? new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1) });
        return room;
    }

    /// <summary>Polls until the session is gone from the node; how long that took.</summary>
    public async Task<TimeSpan> ClosedOnNodeWithinAsync(string sessionId, TimeSpan limit)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (Media.HasSession(sessionId))
        {
            if (started.Elapsed > limit)
                throw new TimeoutException($"Session {sessionId} still open on the node after {limit}.");
            await Task.Delay(10);
        }
        return started.Elapsed;
    }
}
