using System.Collections.Concurrent;
using System.Text;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Ice;
using MediaPlane.Rtp;
using MediaPlane.Stun;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

/// <summary>ICE restart (RFC 8445 §2.4) keeps DTLS, SRTP and forwarding; only the new credentials verify afterwards.</summary>
public sealed class IceRestartTests : IDisposable
{
    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private static readonly PublishedTrack Video = new("cam", MediaKind.Video, Ssrc: 1111, RtxSsrc: null, PayloadType: 96, RtxPayloadType: null, ClockRate: 90000, Codec: "VP8");

    [Fact]
    public async Task A_restarted_publisher_keeps_forwarding_and_its_old_credentials_stop_working()
    {
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        using var viewer = await _node.ConnectAsync("view", [], [new SubscribedTrack("cam", 5001, null, 96, null)]);
        var received = new ConcurrentQueue<ushort>();
        viewer.OnRtp = p => { if (RtpPacketReader.TryParse(p, out var r, out _)) received.Enqueue(r.SequenceNumber); };
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, 1, 3000));
        await Poll.UntilAsync(() => received.Count == 1);

        _node.Server.TryGetSession("pub", out var session).Should().BeTrue();
        var old = session!.LocalCredentials;
        var restarted = _node.Server.RestartIce("pub", "newremote1")!;
        restarted.LocalUfrag.Should().NotBe(old.Ufrag);
        restarted.LocalPassword.Should().NotBe(old.Password);
        restarted.Port.Should().Be(_node.Server.Port, "a restart keeps the single port");

        // Returns only once the server answered a check made with the new credentials of both sides.
        await publisher.RestartIceAsync(restarted.LocalUfrag, restarted.LocalPassword, "newremote1");

        // A check with the old credentials no longer finds the session.
        long unknownBefore = _node.Server.Ice.Count(IceLiteOutcome.DroppedUnknownUfrag);
        publisher.SendRaw(BindingRequest(old.Ufrag, "clipub", old.PasswordBytes.ToArray()));
        await Poll.UntilAsync(() => _node.Server.Ice.Count(IceLiteOutcome.DroppedUnknownUfrag) > unknownBefore);

        // The old remote ufrag is refused too, even with the new local credentials.
        long mismatchBefore = _node.Server.Ice.Count(IceLiteOutcome.DroppedRemoteUfragMismatch);
        publisher.SendRaw(BindingRequest(restarted.LocalUfrag, "clipub", Encoding.ASCII.GetBytes(restarted.LocalPassword)));
        await Poll.UntilAsync(() => _node.Server.Ice.Count(IceLiteOutcome.DroppedRemoteUfragMismatch) > mismatchBefore);

        // Media keeps flowing on the same DTLS association and SRTP keys.
        for (ushort seq = 2; seq <= 50; seq++)
            publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u));
        await Poll.UntilAsync(() => received.Count >= 45);
        _node.Closed.Should().BeEmpty();
        _node.Server.SessionCount.Should().Be(2);
    }

    [Fact]
    public void Restarting_an_unknown_session_returns_null_and_closing_after_a_restart_frees_the_new_ufrag()
    {
        _node.Server.RestartIce("nobody", "whatever1").Should().BeNull();
        _node.Server.Open(new MediaSessionRequest("s1", "remote1", [MediaPlane.Dtls.DtlsCertificate.Generate().Fingerprint], MediaPlane.Dtls.DtlsRole.Server, [], []));
        var restarted = _node.Server.RestartIce("s1", "remote2")!;
        _node.Server.Close("s1").Should().BeTrue();
        _node.Server.SessionCount.Should().Be(0);
        _node.Server.RestartIce("s1", "remote3").Should().BeNull();
        restarted.LocalUfrag.Should().NotBeNullOrEmpty();
    }

    private static byte[] BindingRequest(string serverUfrag, string clientUfrag, byte[] password)
    {
        var buffer = new byte[256];
        StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request, TransactionId.NewRandom(), out var writer).Should().BeTrue();
        writer.TryAddUsername(Encoding.ASCII.GetBytes($"{serverUfrag}:{clientUfrag}")).Should().BeTrue();
        writer.TryAddPriority(0x6E7F1EFF).Should().BeTrue();
        writer.TryAddIceControlling(1).Should().BeTrue();
        writer.TryAddMessageIntegrity(password).Should().BeTrue();
        writer.TryAddFingerprint().Should().BeTrue();
        return writer.Written.ToArray();
    }
}
