using Azure.Storage.Queues;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Signaling;
using Grains.Media;
using Grains.Tests.Fixtures;
using Grains.Tests.Rooms;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;
using Xunit.Abstractions;
using Rtc.TestSupport;
using Rtc.TestCluster;
using MediaPlane.Contracts;

namespace Grains.Tests.Signaling;

/// <summary>
/// Media-state events on Azure Queue streams (real Azurite): a media node publishes a session's state
/// while the only silo that can host the session's grain is down, and the grain gets it once a silo is
/// back. The producing silo is barred from hosting session grains (<see cref="BarredSiloPlacementDirector"/>),
/// so "the consumer's silo" is exact.
/// </summary>
public sealed class MediaStateDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_event_published_while_its_consumers_silo_is_down_is_delivered_when_one_is_back()
    {
        string azurite = TestServers.Azurite;
        string queuePrefix = $"ms-{Guid.NewGuid():N}"[..20];
        using var data = new TempDirectory("rtc-media-state");
        var barred = new BarredSilo();
        var builder = TestClusters.Create(TestClusterFeatures.MediaNodes | TestClusterFeatures.ProductionMembership, 2, data.Path, (options, silo) =>
        {
            silo.AddAzureQueueStreams(StorageNames.StreamProvider, ob => ob.Configure(o =>
            {
                o.QueueServiceClient = new QueueServiceClient(azurite);
                o.QueueNames = RtcStreams.QueueNames(queuePrefix, 2);
            }));
            silo.Services.AddSingleton(barred);
            silo.AddPlacementDirector<RandomPlacement, BarredSiloPlacementDirector>();
            silo.AddPlacementDirector<ResourceOptimizedPlacement, BarredSiloPlacementDirector>();
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var producer = cluster.Silos[0];
        var consumerSilo = cluster.Silos[1];
        barred.Silo = producer.SiloAddress;
        var grains = cluster.Client;
        var media = producer.ServiceProvider.GetRequiredService<MediaNodeService>();

        string roomId = ClusterFixture.NewRoomId("ms");
        var room = grains.GetGrain<IRoomGrain>(roomId);
        await room.CreateAsync(new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1) });
        await room.JoinAsync(RoomTestData.Join("alice"));
        string sessionId = MediaCluster.NewSessionId();
        var session = grains.GetGrain<IClientSessionGrain>(sessionId);
        await session.RecordAsync(new ClientSessionInfo
        {
            SessionId = sessionId, RoomId = roomId, Identity = "alice", Kind = ClientSessionKind.Publish, NodeId = media.NodeId,
            Status = ClientSessionStatus.Opening, CreatedAt = DateTimeOffset.UtcNow,
        });

        // Sanity: the stream path works while everything is up (a throwaway session).
        string warmup = MediaCluster.NewSessionId();
        await grains.GetGrain<IClientSessionGrain>(warmup).RecordAsync(new ClientSessionInfo
        {
            SessionId = warmup, RoomId = roomId, Identity = "alice", Kind = ClientSessionKind.Publish, NodeId = media.NodeId,
            Status = ClientSessionStatus.Opening, CreatedAt = DateTimeOffset.UtcNow,
        });
        var sent = DateTimeOffset.UtcNow;
        media.OnConnected(warmup);
        await Poll.UntilAsync(() => grains.GetGrain<IClientSessionGrain>(warmup).GetAsync(), s => s!.Status == ClientSessionStatus.Connected,
            TimeSpan.FromSeconds(20), "warm-up session connected");
        output.WriteLine($"media state, node to session grain over Azure Queue while up: {(DateTimeOffset.UtcNow - sent).TotalMilliseconds:F0} ms");

        // The consumer's silo dies; the node reports the session connected meanwhile.
        await cluster.KillSiloAsync(consumerSilo);
        media.OnConnected(sessionId);
        var publishedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(4));
        media.MediaState.Pending.Should().Be(0, "the event left the node for the queue");

        var back = await cluster.StartAdditionalSiloAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        var connected = await Poll.UntilAsync(() => session.GetAsync(), s => s!.Status == ClientSessionStatus.Connected,
            TimeSpan.FromSeconds(60), "session connected after its silo came back");
        connected!.Status.Should().Be(ClientSessionStatus.Connected);
        output.WriteLine($"published while down; delivered {(DateTimeOffset.UtcNow - restartedAt).TotalMilliseconds:F0} ms after a silo came back " +
            $"({(DateTimeOffset.UtcNow - publishedAt).TotalSeconds:F1} s after publishing)");

        // And the end of the session through the same stream: closed with the node's reason, room put right.
        media.OnClosed(sessionId, SessionCloseReason.DtlsFailed, "handshake timeout");
        var closed = await Poll.UntilAsync(() => session.GetAsync(), s => s!.Status == ClientSessionStatus.Closed,
            TimeSpan.FromSeconds(20), "session closed by its DtlsFailed event");
        closed!.CloseReason.Should().Be("DtlsFailed: handshake timeout");
    }
}
