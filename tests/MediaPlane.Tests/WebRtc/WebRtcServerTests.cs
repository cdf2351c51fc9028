using System.Collections.Concurrent;
using MediaPlane.Contracts;
using MediaPlane.Dtls;
using MediaPlane.Rtp;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

public sealed class WebRtcServerTests : IDisposable
{
    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private static readonly PublishedTrack Video = new("cam", MediaKind.Video, Ssrc: 1111, RtxSsrc: null, PayloadType: 96, RtxPayloadType: null, ClockRate: 90000, Codec: "VP8");

    private sealed record Received(uint Ssrc, byte PayloadType, ushort Sequence, uint Timestamp, bool HasExtension, byte[] Payload);

    private static ConcurrentQueue<Received> Collect(Rtc.TestClient.WebRtcClientTransport client)
    {
        var received = new ConcurrentQueue<Received>();
        client.OnRtp = packet =>
        {
            if (RtpPacketReader.TryParse(packet, out var rtp, out _))
                received.Enqueue(new Received(rtp.Ssrc, rtp.PayloadType, rtp.SequenceNumber, rtp.Timestamp, rtp.HasExtension, rtp.Payload.ToArray()));
        };
        return received;
    }

    [Fact]
    public async Task One_publisher_fans_out_to_two_subscribers_through_one_port()
    {
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        using var alice = await _node.ConnectAsync("alice", [], [new SubscribedTrack("cam", 5001, null, 100, null)]);
        using var bob = await _node.ConnectAsync("bob", [], [new SubscribedTrack("cam", 6001, null, 101, null)]);
        var atAlice = Collect(alice);
        var atBob = Collect(bob);
        await Poll.UntilAsync(() => _node.Connected.Count == 3);

        // Paced like media: an unpaced burst can overflow a socket buffer on a loaded machine.
        for (ushort seq = 1000; seq < 1100; seq++)
        {
            publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u));
            if (seq % 10 == 9)
                await Task.Delay(5);
        }
        await Poll.UntilAsync(() => atAlice.Count >= 100 && atBob.Count >= 100);

        atAlice.Should().OnlyContain(p => p.Ssrc == 5001 && p.PayloadType == 100 && !p.HasExtension);
        atBob.Should().OnlyContain(p => p.Ssrc == 6001 && p.PayloadType == 101);
        atAlice.Select(p => p.Sequence).Should().Equal(Enumerable.Range(1000, 100).Select(i => (ushort)i));
        atAlice.First().Payload.Should().Equal(MediaNodeHarness.Payload(1000, 1000));
        _node.Server.Port.Should().BeGreaterThan(0);
        _node.Server.Counters.RtpReceived.Should().Be(100);
    }

    [Fact]
    public async Task Closing_sessions_frees_them_and_tells_the_control_plane()
    {
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 96, null)]);
        _node.Server.SessionCount.Should().Be(2);

        _node.Server.Close("viewer").Should().BeTrue();
        _node.Server.Close("pub").Should().BeTrue();

        _node.Server.SessionCount.Should().Be(0);
        _node.Server.TryGetProducer("cam", out _).Should().BeFalse();
        _node.Closed.Select(c => (c.Id, c.Reason)).Should().BeEquivalentTo(new[] { ("viewer", SessionCloseReason.Requested), ("pub", SessionCloseReason.Requested) });
        _node.Server.Close("pub").Should().BeFalse("closing twice is a no-op");
    }

    [Fact]
    public async Task A_client_whose_certificate_does_not_match_its_fingerprint_fails_dtls_and_is_closed()
    {
        var wrongFingerprint = DtlsCertificate.Generate().Fingerprint;

        var connect = () => _node.ConnectAsync("impostor", [Video], [], clientFingerprintOverride: wrongFingerprint);

        await connect.Should().ThrowAsync<Exception>();
        await Poll.UntilAsync(() => _node.Closed.Any(c => c.Id == "impostor"));
        _node.Closed.Single(c => c.Id == "impostor").Reason.Should().Be(SessionCloseReason.DtlsFailed);
        _node.Server.SessionCount.Should().Be(0);
    }

    [Fact]
    public void Subscribing_to_a_stream_not_on_this_node_is_refused_and_allocates_nothing()
    {
        var open = () => _node.Server.Open(new MediaSessionRequest("s", "u1", [DtlsCertificate.Generate().Fingerprint], DtlsRole.Server, [],
            [new SubscribedTrack("nosuch", 1, null, 96, null)]));

        open.Should().Throw<MediaSessionException>().WithMessage("*not published*");
        _node.Server.SessionCount.Should().Be(0);
    }
}

public sealed class ConsentTests
{
    [Fact]
    public async Task A_session_without_consent_checks_is_closed_after_the_timeout()
    {
        using var node = new MediaNodeHarness(consentTimeout: TimeSpan.FromSeconds(1));
        node.Server.Open(new MediaSessionRequest("silent", "u1", [DtlsCertificate.Generate().Fingerprint], DtlsRole.Server,
            [new PublishedTrack("cam", MediaKind.Video, 1, null, 96, null, 90000, "VP8")], []));

        await Poll.UntilAsync(() => node.Closed.Any(), TimeSpan.FromSeconds(5));

        node.Closed.Single().Reason.Should().Be(SessionCloseReason.ConsentExpired);
        node.Server.SessionCount.Should().Be(0);
        node.Server.TryGetProducer("cam", out _).Should().BeFalse();
    }
}
