using System.Net;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Media;
using Grains.Tests.Fixtures;
using Grains.Tests.Rooms;
using Microsoft.Extensions.DependencyInjection;
using Rtc.TestSupport;
using Rtc.TestCluster;

namespace Grains.Tests.Signaling;

/// <summary>
/// A cluster restarted as a whole (new ClusterId, same storage) never sees a death declared for its earlier
/// nodes: their sessions are found through the known-nodes list and closed. Nodes younger than the sweeping
/// silo are left alone (they may belong to this cluster and not be in its view yet).
/// </summary>
public sealed class ForeignNodeSweepTests
{
    [Fact]
    public async Task Sessions_of_a_node_from_an_earlier_incarnation_are_closed()
    {
        using var data = new TempDirectory("rtc-foreign-node");
        var builder = TestClusters.Create(TestClusterFeatures.MediaNodes | TestClusterFeatures.ProductionMembership, 1, data.Path, (_, silo) =>
        {
            silo.AddMemoryStreams(StorageNames.StreamProvider);
            silo.Services.PostConfigure<MediaNodeOptions>(o =>
            {
                o.ForeignNodeSweepDelay = TimeSpan.FromMilliseconds(500);
                o.ForeignNodeSweepPeriod = TimeSpan.FromMilliseconds(500);
            });
        }, client => client.AddMemoryStreams(StorageNames.StreamProvider));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var grains = cluster.Client;
        var self = cluster.Silos[0].SiloAddress;
        string earlier = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), self.Generation - 3600).ToParsableString();
        string younger = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 2), self.Generation + 5).ToParsableString();

        string roomId = ClusterFixture.NewRoomId("foreign");
        var room = grains.GetGrain<IRoomGrain>(roomId);
        await room.CreateAsync(new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1) });
        await room.JoinAsync(RoomTestData.Join("old"));
        await room.JoinAsync(RoomTestData.Join("new"));
        string oldSession = MediaCluster.NewSessionId(), newSession = MediaCluster.NewSessionId();
        await Record(grains, oldSession, roomId, "old", earlier);
        await Record(grains, newSession, roomId, "new", younger);
        var known = grains.GetGrain<IKnownMediaNodesGrain>(IKnownMediaNodesGrain.Key);
        // (The earlier node may already be swept: only the known list leads the sweep to it, checked below.)
        (await known.GetAsync()).Should().Contain(younger);
        await cluster.DeactivateAsync(known);
        (await known.GetAsync()).Should().Contain(younger, "the list is in storage");

        var closed = await Poll.UntilAsync(() => grains.GetGrain<IClientSessionGrain>(oldSession).GetAsync(),
            s => s?.Status == ClientSessionStatus.Closed, TimeSpan.FromSeconds(15), "the earlier node's session closed");
        closed!.CloseReason.Should().Be("media node lost");
        await Poll.UntilAsync(() => grains.GetGrain<IKnownMediaNodesGrain>(IKnownMediaNodesGrain.Key).GetAsync(),
            nodes => !nodes.Contains(earlier), TimeSpan.FromSeconds(10), "the earlier node forgotten");
        (await grains.GetGrain<IMediaNodeSessionsGrain>(earlier).IsDeadAsync()).Should().BeTrue();
        (await room.GetSnapshotAsync()).Participants.Select(p => p.Identity).Should().Equal("new");

        await Task.Delay(1500); // three more sweeps
        (await grains.GetGrain<IClientSessionGrain>(newSession).GetAsync())!.Status.Should().NotBe(ClientSessionStatus.Closed);
        (await grains.GetGrain<IKnownMediaNodesGrain>(IKnownMediaNodesGrain.Key).GetAsync()).Should().Contain(younger);
    }

    private static Task Record(IGrainFactory grains, string sessionId, string roomId, string identity, string nodeId) =>
        grains.GetGrain<IClientSessionGrain>(sessionId).RecordAsync(new ClientSessionInfo
        {
            SessionId = sessionId, RoomId = roomId, Identity = identity, Kind = ClientSessionKind.Subscribe, NodeId = nodeId,
            StreamIds = [], Status = ClientSessionStatus.Opening, CreatedAt = DateTimeOffset.UtcNow,
        });
}
