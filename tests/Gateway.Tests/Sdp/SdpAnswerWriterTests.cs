using System.Net;
using Gateway.Sdp;

namespace Gateway.Tests.Sdp;

public class SdpAnswerWriterTests
{
    private static readonly SdpFingerprint LocalFingerprint = new("sha-256", Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray());

    internal static readonly LocalSdpParameters Local = new("sfu1", "Qm9uanVvcldvcmxkUGFzc3dvcmQ", LocalFingerprint, IPAddress.Parse("198.51.100.7"), 7882)
    {
        SessionId = 4242,
        SessionVersion = 3,
    };

    private static NegotiatedSession Negotiate(string offer, NegotiationMode mode, ServerCapabilities? caps = null) =>
        SdpNegotiator.Negotiate(offer, mode, caps).Session!;

    [Fact]
    public void Whip_answer_text()
    {
        var answer = SdpAnswerWriter.Write(Negotiate(BrowserOffers.ChromeWhip, NegotiationMode.Publish), Local);

        answer.Should().EndWith("\r\n");
        answer.Replace("\r\n", "").Should().NotContain("\n").And.NotContain("\r");
        var lines = answer.Split("\r\n");
        lines[..8].Should().Equal(
            "v=0",
            "o=- 4242 3 IN IP4 198.51.100.7",
            "s=-",
            "t=0 0",
            "a=ice-lite",
            "a=group:BUNDLE 0 1",
            "a=extmap-allow-mixed",
            "m=audio 7882 UDP/TLS/RTP/SAVPF 111");
        lines.Should().ContainInOrder(
            "m=audio 7882 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 198.51.100.7",
            "a=mid:0",
            "a=ice-ufrag:sfu1",
            "a=ice-pwd:Qm9uanVvcldvcmxkUGFzc3dvcmQ",
            "a=fingerprint:sha-256 A0:A1:A2:A3:A4:A5:A6:A7:A8:A9:AA:AB:AC:AD:AE:AF:B0:B1:B2:B3:B4:B5:B6:B7:B8:B9:BA:BB:BC:BD:BE:BF",
            "a=setup:passive",
            "a=recvonly",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=candidate:1 1 UDP 2130706431 198.51.100.7 7882 typ host",
            "a=end-of-candidates",
            "m=video 7882 UDP/TLS/RTP/SAVPF 96 97",
            "a=mid:1",
            "a=recvonly",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 transport-cc",
            "a=rtcp-fb:96 ccm fir",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=candidate:1 1 UDP 2130706431 198.51.100.7 7882 typ host",
            "a=end-of-candidates");
        answer.Should().NotContain("a=msid").And.NotContain("a=ssrc").And.NotContain("goog-remb");
    }

    [Fact]
    public void Whip_answer_parses_back_into_the_expected_model()
    {
        var negotiated = Negotiate(BrowserOffers.ChromeWhip, NegotiationMode.Publish);

        var parsed = SdpParser.Parse(SdpAnswerWriter.Write(negotiated, Local));

        parsed.Errors.Should().BeEmpty();
        parsed.Warnings.Should().BeEmpty();
        var sdp = parsed.Description!;
        sdp.IceLite.Should().BeTrue();
        sdp.Origin.SessionId.Should().Be("4242");
        sdp.BundleGroup!.Mids.Should().Equal("0", "1");
        sdp.ExtmapAllowMixed.Should().BeTrue();
        sdp.Media.Should().HaveCount(2);
        foreach (var (media, expected) in sdp.Media.Zip(negotiated.Media))
        {
            media.Port.Should().Be(7882);
            media.Mid.Should().Be(expected.Mid);
            media.Direction.Should().Be(MediaDirection.RecvOnly);
            media.RtcpMux.Should().BeTrue();
            media.RtcpRsize.Should().BeTrue();
            sdp.EffectiveIceUfrag(media).Should().Be("sfu1");
            sdp.EffectiveIcePwd(media).Should().Be(Local.IcePwd);
            sdp.EffectiveFingerprints(media).Should().Equal(LocalFingerprint);
            sdp.EffectiveSetup(media).Should().Be(SetupRole.Passive);
            media.Candidates.Should().Equal(new SdpCandidate("1", 1, "UDP", 2130706431, "198.51.100.7", 7882, "host", null, null));
            media.EndOfCandidates.Should().BeTrue();
            media.Connection.Should().Be(new SdpConnection("IN", "IP4", "198.51.100.7"));
            media.RtpMap(expected.Codec!.PayloadType).Should().Be(new SdpRtpMap(expected.Codec.PayloadType, expected.Codec.Name, expected.Codec.ClockRate, expected.Codec.Channels));
            media.Fmtp(expected.Codec.PayloadType)?.Value.Should().Be(expected.Codec.Fmtp);
            media.RtcpFeedback.Should().Equal(expected.Feedback);
            media.Extmaps.Select(e => (e.Id, e.Uri)).Should().Equal(expected.Extensions.Select(e => (e.Id, e.Uri)));
        }
        sdp.Media[1].PayloadTypes.Should().Equal(96, 97);
        sdp.Media[1].Fmtp(97)!.Get("apt").Should().Be("96");
    }

    [Fact]
    public void Whep_answer_announces_the_tracks_the_server_sends()
    {
        var negotiated = Negotiate(BrowserOffers.ChromeWhep, NegotiationMode.Subscribe);
        var tracks = new Dictionary<string, OutgoingTrack>
        {
            ["0"] = new(0x11111111, "sfu-cname", "alice", "alice-mic"),
            ["1"] = new(0x22222222, "sfu-cname", "alice", "alice-cam") { RtxSsrc = 0x33333333 },
        };

        var answer = SdpAnswerWriter.Write(negotiated, Local, tracks);
        var sdp = SdpParser.Parse(answer).Description!;

        answer.Should().Contain("a=msid-semantic:WMS *\r\n");
        // The node numbers what it sends each subscriber and reads its feedback (issue 21 item 3).
        answer.Should().Contain("transport-cc").And.Contain("transport-wide-cc");
        sdp.Media.Should().OnlyContain(m => m.Direction == MediaDirection.SendOnly);
        sdp.Media[0].Msids.Should().Equal(new SdpMsid("alice", "alice-mic"));
        sdp.Media[0].Ssrcs.Should().Equal(new SdpSsrc(0x11111111, "sfu-cname", "alice", "alice-mic"));
        sdp.Media[0].SsrcGroups.Should().BeEmpty();
        sdp.Media[1].Msids.Should().Equal(new SdpMsid("alice", "alice-cam"));
        sdp.Media[1].SsrcGroups.Should().Equal(new SdpSsrcGroup("FID", [0x22222222, 0x33333333]));
        sdp.Media[1].Ssrcs.Should().Equal(
            new SdpSsrc(0x22222222, "sfu-cname", "alice", "alice-cam"),
            new SdpSsrc(0x33333333, "sfu-cname", "alice", "alice-cam"));

        // The answer, read as if it were an offer from the server, negotiates back to the same tracks.
        var reverse = SdpNegotiator.Negotiate(sdp, NegotiationMode.Publish);
        reverse.Session!.Media[1].RemoteSsrc.Should().Be(0x22222222);
        reverse.Session.Media[1].RemoteRtxSsrc.Should().Be(0x33333333);
        reverse.Session.Media[1].Codec!.PayloadType.Should().Be(96);
        reverse.Session.RemoteIceUfrag.Should().Be("sfu1");
        reverse.Session.RemoteFingerprint.Should().Be(LocalFingerprint);
    }

    [Fact]
    public void Whep_section_without_a_track_is_inactive()
    {
        var negotiated = Negotiate(BrowserOffers.ChromeWhep, NegotiationMode.Subscribe);
        var tracks = new Dictionary<string, OutgoingTrack> { ["1"] = new(5, "c", "s", "t") };

        var sdp = SdpParser.Parse(SdpAnswerWriter.Write(negotiated, Local, tracks)).Description!;

        sdp.Media[0].Direction.Should().Be(MediaDirection.Inactive);
        sdp.Media[0].Ssrcs.Should().BeEmpty();
        sdp.Media[1].Direction.Should().Be(MediaDirection.SendOnly);
        sdp.Media[1].SsrcGroups.Should().BeEmpty("no RTX SSRC was given");
    }

    [Fact]
    public void Rejected_section_gets_port_0_and_leaves_the_bundle()
    {
        var caps = ServerCapabilities.Default.WithCodecs(CodecCapability.Opus());
        var negotiated = Negotiate(BrowserOffers.ChromeWhip, NegotiationMode.Publish, caps);

        var answer = SdpAnswerWriter.Write(negotiated, Local);
        var sdp = SdpParser.Parse(answer).Description!;

        sdp.BundleGroup!.Mids.Should().Equal("0");
        sdp.Media[0].Port.Should().Be(7882);
        sdp.Media[1].Port.Should().Be(0);
        sdp.Media[1].Mid.Should().Be("1");
        sdp.Media[1].Direction.Should().Be(MediaDirection.Inactive);
        sdp.Media[1].PayloadTypes.Should().HaveCount(25);
        sdp.Media[1].Candidates.Should().BeEmpty();
        answer.Should().Contain("m=video 0 UDP/TLS/RTP/SAVPF 96 97 98");
    }

    [Fact]
    public void Active_role_and_ipv6_address()
    {
        var negotiated = Negotiate(BrowserOffers.FirefoxWhip.Replace("a=setup:actpass", "a=setup:passive"), NegotiationMode.Publish);
        var local = Local with { Address = IPAddress.Parse("2001:db8::7") };

        var answer = SdpAnswerWriter.Write(negotiated, local);
        var sdp = SdpParser.Parse(answer).Description!;

        answer.Should().Contain("o=- 4242 3 IN IP6 2001:db8::7\r\n").And.Contain("c=IN IP6 2001:db8::7\r\n");
        sdp.Media.Should().OnlyContain(m => m.Setup == SetupRole.Active && m.Candidates[0].Address == "2001:db8::7");
        sdp.ExtmapAllowMixed.Should().BeFalse();
    }

    [Fact]
    public void Invalid_local_parameters_are_a_programming_error()
    {
        var negotiated = Negotiate(BrowserOffers.ChromeWhip, NegotiationMode.Publish);

        var badUfrag = () => SdpAnswerWriter.Write(negotiated, Local with { IceUfrag = "a b" });
        var badPort = () => SdpAnswerWriter.Write(negotiated, Local with { Port = 0 });

        badUfrag.Should().Throw<ArgumentException>();
        badPort.Should().Throw<ArgumentException>();
    }
}
