using MediaPlane.Contracts;
using System.Collections.Concurrent;
using MediaPlane.Relay;
using MediaPlane.Relay.Peers;
using MediaPlane.Relay.Routes;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using MediaPlane.Tests.WebRtc;
using MediaPlane.Transport;
using MediaPlane.WebRtc;
using Rtc.TestClient;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Relay.Cascade;

/// <summary>
/// Issue 22 items 2 and 5 on real media nodes on loopback: a stream crosses a middle hop by that hop's route table
/// alone (relay v2, resealed per link), moves to a new path when the origin's table changes (with a keyframe request),
/// stops when its last subscriber leaves; and what crosses a relay link carries no RTP payload bytes in clear.
/// </summary>
public sealed class RelayForwardingTests : IDisposable
{
    private static readonly byte[] ClusterKey = "cascade-test-cluster-key-32byte!"u8.ToArray();
    private static readonly PublishedTrack Video = new("cam", MediaKind.Video, 1111, null, 96, null, 90000, "VP8");
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
            _owned[i].Dispose();
    }

    private MediaNodeHarness Node(string nodeId)
    {
        var node = new MediaNodeHarness(relay: new RelayOptions
        {
            NodeId = nodeId,
            ClusterKey = ClusterKey,
            Port = new MediaPortOptions { BindAddress = "127.0.0.1", Port = 0, ReceiveLoops = 1 },
            KeepaliveInterval = TimeSpan.FromMilliseconds(200),
            ExportTimeout = TimeSpan.FromSeconds(2),
            IdleImportTimeout = TimeSpan.FromSeconds(1),
            ProbeInterval = TimeSpan.Zero, // tables come from the test here
        });
        _owned.Add(node);
        return node;
    }

    private static RelayRouteTable Table(long version, params (string Destination, string NextHop)[] routes) =>
        new(version, routes.ToDictionary(r => r.Destination, r => r.NextHop));

    private static ConcurrentQueue<byte[]> Payloads(WebRtcClientTransport client)
    {
        var received = new ConcurrentQueue<byte[]>();
        client.OnRtp = packet =>
        {
            if (RtpPacketReader.TryParse(packet, out var rtp, out _))
                received.Enqueue(rtp.Payload.ToArray());
        };
        return received;
    }

    private static ConcurrentQueue<uint> Plis(WebRtcClientTransport publisher)
    {
        var plis = new ConcurrentQueue<uint>();
        publisher.OnRtcp = compound =>
        {
            var reader = new RtcpCompoundReader(compound);
            while (reader.TryReadNext(out var packet))
                if (RtcpPictureLossIndication.TryParse(packet.Bytes, out var pli, out _))
                    plis.Enqueue(pli.MediaSsrc);
        };
        return plis;
    }

    private static async Task SendAsync(WebRtcClientTransport publisher, ushort first, int count)
    {
        for (int i = 0; i < count; i++)
        {
            ushort seq = (ushort)(first + i);
            publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u));
            if (i % 10 == 9)
                await Task.Delay(2);
        }
    }

    [Fact]
    public async Task A_stream_crosses_a_middle_hop_by_table_moves_on_a_route_change_and_stops_when_its_subscriber_leaves()
    {
        var a = Node("node-a");
        var b = Node("node-b");
        var c = Node("node-c");
        RelayPeerInfo Peer(string id, MediaNodeHarness n) => new(id, n.Server.RelayEndPoint!);
        a.Server.SetRelayPeers([Peer("node-b", b), Peer("node-c", c)]);
        b.Server.SetRelayPeers([Peer("node-a", a), Peer("node-c", c)]);
        c.Server.SetRelayPeers([Peer("node-a", a), Peer("node-b", b)]);
        // a and c reach each other through b.
        a.Server.ApplyRelayRoutes(Table(1, ("node-b", "node-b"), ("node-c", "node-b"))).Should().BeTrue();
        b.Server.ApplyRelayRoutes(Table(1, ("node-a", "node-a"), ("node-c", "node-c"))).Should().BeTrue();
        c.Server.ApplyRelayRoutes(Table(1, ("node-a", "node-b"), ("node-b", "node-b"))).Should().BeTrue();

        using var publisher = await a.ConnectAsync("pub", [Video], []);
        var plis = Plis(publisher);
        // The origin is told to push toward c (as the stream's grain does); c knows the stream comes from a.
        c.Server.ImportTrack("room", Video, "node-a", a.Server.RelayEndPoint!).Should().BeTrue();
        a.Server.ExportTrack("room", "cam", "node-c", c.Server.RelayEndPoint!).Should().BeTrue();
        var viewer = await c.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 100, null)]);
        _owned.Add(viewer);
        var atViewer = Payloads(viewer);
        await Poll.UntilAsync(() => c.Connected.Count == 1);
        await Poll.UntilAsync(() => !plis.IsEmpty, Poll.DefaultWithin, "the viewer's keyframe request reaches the publisher over b");

        await SendAsync(publisher, 1000, 50);
        await Poll.UntilAsync(() => atViewer.Count >= 50, Poll.DefaultWithin, "50 packets reach the viewer on c");
        atViewer.First().Should().Equal(MediaNodeHarness.Payload(1000, 1000));
        b.Server.RelayCounters!.V2Forwarded.Should().BeGreaterThanOrEqualTo(50, "b forwards by its table");
        b.Server.RelayImportCount.Should().Be(0, "a middle hop holds no stream state");
        a.Server.RelayCounters!.RtpSent.Should().Be(50);
        c.Server.RelayCounters!.V2Rejected.Should().Be(0);
        b.Server.RelayCounters!.V2Rejected.Should().Be(0);

        // The direct link becomes the route: the stream moves, and the publisher is asked for a keyframe. (A producer
        // merges keyframe requests within 500 ms, so the viewer's first one must be older than that.)
        await Task.Delay(600);
        int plisBefore = plis.Count;
        a.Server.ApplyRelayRoutes(Table(2, ("node-b", "node-b"), ("node-c", "node-c"))).Should().BeTrue();
        c.Server.ApplyRelayRoutes(Table(2, ("node-a", "node-a"), ("node-b", "node-b"))).Should().BeTrue();
        a.Server.RelayCounters!.RouteChanges.Should().Be(1);
        await Poll.UntilAsync(() => plis.Count > plisBefore, Poll.DefaultWithin, "a keyframe request after the route change");
        await Task.Delay(300); // anything already on its way through b lands
        long forwardedBefore = b.Server.RelayCounters!.V2Forwarded;
        await SendAsync(publisher, 1050, 50);
        await Poll.UntilAsync(() => atViewer.Count >= 100, Poll.DefaultWithin, "media continues on the direct path");
        b.Server.RelayCounters!.V2Forwarded.Should().Be(forwardedBefore, "nothing crosses b any more");

        // The last subscriber leaves: c drops its import, stops keeping the export alive, and a stops sending.
        c.Server.Close("viewer").Should().BeTrue();
        await Poll.UntilAsync(() => c.Server.RelayImportCount == 0, TimeSpan.FromSeconds(20), "c drops the idle import");
        await Poll.UntilAsync(() => a.Server.RelayExportCount == 0, TimeSpan.FromSeconds(20), "a's export expires without keepalives");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Relay_traffic_carries_no_rtp_payload_bytes_in_clear(bool relayV2)
    {
        var a = Node("node-a");
        var c = Node("node-c");
        var tap = new UdpTap(a.Server.RelayEndPoint!, c.Server.RelayEndPoint!);
        _owned.Add(tap);
        if (relayV2)
        {
            // Each node knows the other at the tap's address it sends to (as a silo knows a peer at an emulated link's port).
            a.Server.SetRelayPeers([new RelayPeerInfo("node-c", tap.TowardB)]);
            c.Server.SetRelayPeers([new RelayPeerInfo("node-a", tap.TowardA)]);
        }
        using var publisher = await a.ConnectAsync("pub", [Video], []);
        c.Server.ImportTrack("room", Video, "node-a", tap.TowardA).Should().BeTrue();
        a.Server.ExportTrack("room", "cam", "node-c", tap.TowardB).Should().BeTrue();
        using var viewer = await c.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 100, null)]);
        var atViewer = Payloads(viewer);
        await Poll.UntilAsync(() => c.Connected.Count == 1);

        await SendAsync(publisher, 3000, 40);
        await Poll.UntilAsync(() => atViewer.Count >= 40, Poll.DefaultWithin, "the stream crossed the tapped link");

        var captured = tap.Captured.ToArray();
        int carrying = captured.Count(d => Enumerable.Range(3000, 40).Any(seq => Contains(d, MediaNodeHarness.Payload((ushort)seq, 1000).AsSpan(0, 32))));
        if (relayV2)
        {
            captured.Should().OnlyContain(d => d[0] == 5, "every datagram between the nodes is relay v2");
            carrying.Should().Be(0, "relay v2 encrypts every payload per link");
        }
        else
            carrying.Should().BeGreaterThanOrEqualTo(40, "relay v1 carries RTP in clear: the capture can see it");
    }

    private static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
