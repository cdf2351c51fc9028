using MediaPlane.Contracts;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MediaPlane.Ice;
using MediaPlane.Rtp;
using MediaPlane.Transport;
using MediaPlane.WebRtc;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

/// <summary>
/// Issue 20 item 5: a connected session moves to a new source address only after that address answers a check the
/// node sends it. Sources are loopback aliases (127.0.0.2, 127.0.0.3): a spoofer replays a viewer's verified check
/// from its own address; a NAT in front of a viewer rebinds to a new outside address.
/// </summary>
public sealed class ReturnRoutabilityTests : IDisposable
{
    private static readonly PublishedTrack Video = new("cam", MediaKind.Video, Ssrc: 1111, RtxSsrc: null, PayloadType: 96, RtxPayloadType: null, ClockRate: 90000, Codec: "VP8");
    private static readonly SubscribedTrack View = new("cam", 5001, null, 96, null);

    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private IPEndPoint NodeEndPoint => new(IPAddress.Loopback, _node.Server.Port);

    private static ConcurrentQueue<ushort> Collect(Rtc.TestClient.WebRtcClientTransport client)
    {
        var sequences = new ConcurrentQueue<ushort>();
        client.OnRtp = packet =>
        {
            if (RtpPacketReader.TryParse(packet, out var rtp, out _))
                sequences.Enqueue(rtp.SequenceNumber);
        };
        return sequences;
    }

    /// <summary>Publishes paced packets from <paramref name="first"/> until cancelled; returns the next sequence number.</summary>
    private static async Task<ushort> PublishAsync(Rtc.TestClient.WebRtcClientTransport publisher, ushort first, Func<bool> until)
    {
        ushort seq = first;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!until() && DateTime.UtcNow < deadline)
        {
            publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u, 200));
            seq++;
            await Task.Delay(10);
        }
        return seq;
    }

    [Fact]
    public async Task A_spoofed_source_replaying_a_verified_check_never_gets_media_and_does_not_move_the_session()
    {
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        var viewerChecks = new ConcurrentQueue<byte[]>();
        using var viewer = await _node.ConnectAsync("viewer", [], [View]);
        viewer.OnSent = datagram =>
        {
            if (datagram.Length >= 20 && datagram[0] == 0x00 && datagram[1] == 0x01)
                viewerChecks.Enqueue(datagram);
        };
        var atViewer = Collect(viewer);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        _node.Server.TryGetSession("viewer", out var session).Should().BeTrue();
        var viewerAddress = session!.RemoteEndpoint;
        ushort next = await PublishAsync(publisher, 1, () => atViewer.Count >= 20 && !viewerChecks.IsEmpty);
        viewerChecks.TryDequeue(out var capturedCheck).Should().BeTrue("the viewer sends consent checks every 2 s");

        // The attacker replays the viewer's own check (valid integrity) from 127.0.0.3 while media flows.
        using var spoofer = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0));
        var atSpoofer = new ConcurrentQueue<byte[]>();
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    atSpoofer.Enqueue((await spoofer.ReceiveAsync(stop.Token)).Buffer);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        int viewerBefore = atViewer.Count;
        for (int i = 0; i < 10; i++)
        {
            await spoofer.SendAsync(capturedCheck!, NodeEndPoint);
            for (int k = 0; k < 10; k++, next++)
            {
                publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, next, next * 3000u, 200));
                await Task.Delay(10);
            }
        }
        await Poll.UntilAsync(() => atViewer.Count >= viewerBefore + 80);
        stop.Cancel();
        await reading;

        session.RemoteEndpoint.Should().Be(viewerAddress, "the spoofer never answered the node's check");
        atSpoofer.Should().NotBeEmpty("it gets the answer to its replayed request and the node's check, both STUN");
        atSpoofer.Should().OnlyContain(d => d.Length >= 20 && d[0] < 2, "STUN only: no SRTP (first byte 128-191) and no DTLS reach a spoofed source");
        atSpoofer.Sum(d => d.Length).Should().BeLessThanOrEqualTo(3 * 10 * capturedCheck!.Length, "no amplification toward the spoofed address");
        _node.Server.Ice.Count(IceLiteOutcome.MoveCheckSent).Should().BeGreaterThan(0);
        _node.Server.Ice.Count(IceLiteOutcome.Rebound).Should().Be(0);
    }

    [Fact]
    public async Task After_a_NAT_rebinding_media_follows_only_once_the_new_address_answers_the_node_check()
    {
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        using var nat = new RebindingNat(NodeEndPoint, IPAddress.Parse("127.0.0.2"));
        using var viewer = await _node.ConnectAsync("viewer", [], [View], server: nat.InnerEndPoint);
        var atViewer = Collect(viewer);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        _node.Server.TryGetSession("viewer", out var session).Should().BeTrue();
        session!.RemoteEndpoint.Should().Be(EndpointKey.From(nat.OuterEndPoint));
        ushort next = await PublishAsync(publisher, 1, () => atViewer.Count >= 20);

        // Rebind while the node's checks cannot reach the viewer: its consent checks come from the new address,
        // the node checks back, nobody answers, so the session must stay where it was.
        nat.DropChecksToClient = true;
        nat.Rebind(IPAddress.Parse("127.0.0.3"));
        var newAddress = EndpointKey.From(nat.OuterEndPoint);
        next = await PublishAsync(publisher, next, () => nat.ChecksSeen >= 1 && _node.Server.Ice.Count(IceLiteOutcome.MoveCheckSent) >= 1);
        nat.ChecksSeen.Should().BeGreaterThan(0, "the node sent the new address a check");
        session.RemoteEndpoint.Should().NotBe(newAddress, "no move before the new address answers");
        _node.Server.Ice.Count(IceLiteOutcome.Rebound).Should().Be(0);

        // The viewer's next consent check brings another check from the node, which now reaches it and is answered.
        nat.DropChecksToClient = false;
        ushort firstAfter = next;
        next = await PublishAsync(publisher, next, () => session.RemoteEndpoint == newAddress && atViewer.Any(s => s >= firstAfter));
        session.RemoteEndpoint.Should().Be(newAddress);
        _node.Server.Ice.Count(IceLiteOutcome.Rebound).Should().Be(1);
        atViewer.Should().Contain(s => s >= firstAfter, "media reaches the viewer through its new address");
    }
}
