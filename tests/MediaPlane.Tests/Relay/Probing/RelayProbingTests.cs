using MediaPlane.Relay;
using MediaPlane.Relay.Peers;
using MediaPlane.Relay.Routes;
using MediaPlane.Tests.WebRtc;
using MediaPlane.Transport;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Relay.Probing;

/// <summary>
/// Issue 22 item 4 on two real media nodes on loopback: relay v2 probes and replies between known peers, RTT and loss
/// measured per directed link; strangers (not a known peer) and nodes of another cluster key measure nothing.
/// </summary>
public sealed class RelayProbingTests : IDisposable
{
    private static readonly byte[] ClusterKey = "probe-test-cluster-key-32-bytes!"u8.ToArray();
    private readonly List<MediaNodeHarness> _nodes = [];

    public void Dispose()
    {
        foreach (var node in _nodes)
            node.Dispose();
    }

    private MediaNodeHarness Node(string nodeId, byte[]? key = null, int probeIntervalMs = 100)
    {
        var node = new MediaNodeHarness(relay: new RelayOptions
        {
            NodeId = nodeId,
            ClusterKey = key ?? ClusterKey,
            Port = new MediaPortOptions { BindAddress = "127.0.0.1", Port = 0, ReceiveLoops = 1 },
            ProbeInterval = TimeSpan.FromMilliseconds(probeIntervalMs),
        }, receiveLoops: 1);
        _nodes.Add(node);
        return node;
    }

    private static RelayPeerInfo PeerOf(string nodeId, MediaNodeHarness node) => new(nodeId, node.Server.RelayEndPoint!);

    [Fact]
    public async Task Two_peers_probe_each_other_and_measure_the_link_both_ways()
    {
        var a = Node("probe-a");
        var b = Node("probe-b");
        a.Server.SetRelayPeers([PeerOf("probe-b", b)]).Should().BeTrue();
        b.Server.SetRelayPeers([PeerOf("probe-a", a), PeerOf("probe-b", b)]).Should().BeTrue("a node skips itself in the list");
        a.Server.SetRelayPeers([PeerOf("probe-b", b)]).Should().BeFalse("the same peers again change nothing");

        var fromA = await Poll.UntilAsync(() => Task.FromResult(a.Server.MeasureRelayLinks()),
            links => links.Count == 1 && links[0].LossPct == 0, TimeSpan.FromSeconds(20), "a measures its link to b");
        fromA[0].To.Should().Be("probe-b");
        fromA[0].RttMs.Should().BeInRange(0.001, 1000, "a loopback round trip, on a loaded machine");
        await Poll.UntilAsync(() => Task.FromResult(b.Server.MeasureRelayLinks()),
            links => links.Count == 1 && links[0].To == "probe-a", TimeSpan.FromSeconds(20), "b measures its link to a");

        a.Server.RelayCounters!.ProbesSent.Should().BeGreaterThan(0);
        b.Server.RelayCounters!.ProbesAnswered.Should().BeGreaterThan(0);
        a.Server.RelayCounters!.ProbeRepliesReceived.Should().BeGreaterThan(0);
        a.Server.RelayCounters!.V2Rejected.Should().Be(0);
        a.Server.RelayCounters!.V2UnknownSender.Should().Be(0);
    }

    [Fact]
    public async Task A_stranger_and_a_node_of_another_cluster_key_are_never_measured()
    {
        var a = Node("probe-a");
        var stranger = Node("probe-stranger");
        var foreign = Node("probe-foreign", "another-cluster-key-of-32-bytes!"u8.ToArray());
        // a knows the foreign node (same id, right endpoint) but not the stranger; both think they know a.
        a.Server.SetRelayPeers([PeerOf("probe-foreign", foreign)]);
        stranger.Server.SetRelayPeers([PeerOf("probe-a", a)]);
        foreign.Server.SetRelayPeers([PeerOf("probe-a", a)]);

        await Poll.UntilAsync(() => Task.FromResult(a.Server.RelayCounters!),
            c => c.V2UnknownSender >= 3 && c.V2Rejected >= 3, TimeSpan.FromSeconds(20),
            "a drops the stranger's probes at the address check and the foreign node's at the AEAD");
        a.Server.MeasureRelayLinks().Should().BeEmpty("the foreign node cannot open a's probes, so it never replies");
        stranger.Server.MeasureRelayLinks().Should().BeEmpty();
        foreign.Server.MeasureRelayLinks().Should().BeEmpty();
        a.Server.RelayCounters!.ProbesAnswered.Should().Be(0);
    }

    [Fact]
    public async Task A_peer_that_stops_answering_shows_loss()
    {
        // 10 probes in the window at 250 ms span 2.5 s, more than the 1 s a probe has to be answered in.
        var a = Node("probe-a", probeIntervalMs: 250);
        var b = Node("probe-b", probeIntervalMs: 250);
        a.Server.SetRelayPeers([PeerOf("probe-b", b)]);
        b.Server.SetRelayPeers([PeerOf("probe-a", a)]);
        await Poll.UntilAsync(() => Task.FromResult(a.Server.MeasureRelayLinks()), links => links.Count == 1, TimeSpan.FromSeconds(20), "measured");

        b.Server.SetRelayPeers([]); // b forgets a: a's probes now fail b's address check
        var lossy = await Poll.UntilAsync(() => Task.FromResult(a.Server.MeasureRelayLinks()),
            links => links.Count == 1 && links[0].LossPct >= 50, TimeSpan.FromSeconds(30), "unanswered probes count as lost");
        lossy[0].To.Should().Be("probe-b");
    }

    [Fact]
    public void A_pushed_route_table_replaces_an_older_one_only()
    {
        var a = Node("probe-a");
        a.Server.RelayRoutes.Version.Should().Be(0);
        a.Server.ApplyRelayRoutes(new RelayRouteTable(5, new Dictionary<string, string> { ["d"] = "b", ["b"] = "b" })).Should().BeTrue();
        a.Server.ApplyRelayRoutes(new RelayRouteTable(4, new Dictionary<string, string> { ["d"] = "d" })).Should().BeFalse("a delayed push");
        a.Server.ApplyRelayRoutes(new RelayRouteTable(5, new Dictionary<string, string>())).Should().BeFalse("a repeated push");
        a.Server.RelayRoutes.Version.Should().Be(5);
        a.Server.RelayRoutes.NextHopTo("d").Should().Be("b");
        a.Server.RelayRoutes.NextHopByHash[RelayIds.Hash("d")].Should().Be(RelayIds.Hash("b"));
    }
}
