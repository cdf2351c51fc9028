using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MediaPlane.Contracts;
using MediaPlane.Ice;
using MediaPlane.Rtp;
using MediaPlane.Stun;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

/// <summary>Whatever arrives at the port, a streaming session goes on untouched and drops are counted.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Junk_wrong_stun_foreign_dtls_replayed_srtp_and_a_flood_leave_the_streaming_session_intact()
    {
        using var publisher = await _node.ConnectAsync("pub", [new PublishedTrack("cam", MediaKind.Video, 1111, null, 96, null, 90000, "VP8")], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 96, null)]);
        var received = new ConcurrentQueue<ushort>();
        viewer.OnRtp = p => { if (RtpPacketReader.TryParse(p, out var r, out _)) received.Enqueue(r.SequenceNumber); };
        var sent = new ConcurrentQueue<byte[]>();
        publisher.OnSent = d => sent.Enqueue(d);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        _node.Server.TryGetSession("viewer", out var viewerSession).Should().BeTrue();
        var viewerAddressBefore = viewerSession!.RemoteEndpoint;

        using var attacker = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new IPEndPoint(IPAddress.Loopback, _node.Server.Port);
        var random = new Random(7);
        var streaming = Task.Run(async () =>
        {
            for (ushort seq = 1; seq <= 300; seq++)
            {
                publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u, 500));
                if (seq % 10 == 0) await Task.Delay(2);
            }
        });

        // 1. Random datagrams of every first byte, and a flood of 20,000 from one address.
        for (int i = 0; i < 20_000; i++)
        {
            var junk = new byte[random.Next(1, 300)];
            random.NextBytes(junk);
            attacker.Send(junk, server);
        }
        // 2. STUN for the viewer's ufrag with a wrong password, and for an unknown ufrag, from the attacker.
        attacker.Send(Binding($"{viewerSession.LocalCredentials.Ufrag}:cliviewer", "not-the-password-at-all!!"), server);
        attacker.Send(Binding("nosuch:cliviewer", "whatever-password-123456"), server);
        // 3. DTLS from an address no session has.
        attacker.Send([22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], server);
        await streaming;
        // 4. The publisher's own SRTP, replayed from its address.
        await Poll.UntilAsync(() => sent.Count > 100);
        var replay = sent.Where(d => d.Length > 100 && d[0] >= 128).Take(20).ToList();
        foreach (var datagram in replay)
            publisher.SendRaw(datagram);

        await Poll.UntilAsync(() => received.Count >= 300);
        await Task.Delay(200);

        received.Should().HaveCount(300, "every real packet arrives once and no replay is forwarded");
        received.Distinct().Should().HaveCount(300);
        viewerSession.RemoteEndpoint.Should().Be(viewerAddressBefore, "no one took the viewer's address");
        _node.Server.SessionCount.Should().Be(2);
        var counters = _node.Server.Counters;
        (counters.Unclassified + counters.UnknownSource).Should().BeGreaterThan(10_000, "junk is dropped and counted");
        counters.SrtpRejected.Should().BeGreaterThanOrEqualTo(20, "replays fail the replay check");
        _node.Server.Ice.Count(IceLiteOutcome.DroppedBadIntegrity).Should().BeGreaterThanOrEqualTo(1);
        _node.Server.Ice.Count(IceLiteOutcome.DroppedUnknownUfrag).Should().BeGreaterThanOrEqualTo(1);
    }

    private static byte[] Binding(string username, string password)
    {
        var buffer = new byte[256];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request, TransactionId.NewRandom(), out var writer).Should().BeTrue();
        writer.TryAddUsername(System.Text.Encoding.ASCII.GetBytes(username)).Should().BeTrue();
        writer.TryAddUseCandidate().Should().BeTrue();
        writer.TryAddMessageIntegrity(System.Text.Encoding.ASCII.GetBytes(password)).Should().BeTrue();
        writer.TryAddFingerprint().Should().BeTrue();
        return writer.Written.ToArray();
    }
}
