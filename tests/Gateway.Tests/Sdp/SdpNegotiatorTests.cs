using Gateway.Sdp;

namespace Gateway.Tests.Sdp;

public class SdpNegotiatorTests
{
    private static NegotiatedSession NegotiateOk(string offer, NegotiationMode mode, ServerCapabilities? caps = null)
    {
        var result = SdpNegotiator.Negotiate(offer, mode, caps);
        result.Error.Should().BeNull();
        return result.Session!;
    }

    private static SdpNegotiationError NegotiateFail(string offer, NegotiationMode mode = NegotiationMode.Publish, ServerCapabilities? caps = null)
    {
        var result = SdpNegotiator.Negotiate(offer, mode, caps);
        result.Success.Should().BeFalse();
        result.Session.Should().BeNull();
        return result.Error!;
    }

    [Fact]
    public void Chrome_whip_offer_transport()
    {
        var session = NegotiateOk(BrowserOffers.ChromeWhip, NegotiationMode.Publish);

        session.Mode.Should().Be(NegotiationMode.Publish);
        session.RemoteIceUfrag.Should().Be(BrowserOffers.ChromeUfrag);
        session.RemoteIcePwd.Should().Be(BrowserOffers.ChromePwd);
        session.RemoteIceOptions.Should().Equal("trickle");
        session.RemoteFingerprint.ToString().Should().Be(BrowserOffers.ChromeFingerprint);
        session.RemoteFingerprints.Should().ContainSingle();
        session.RemoteSetup.Should().Be(SetupRole.ActPass);
        session.LocalSetup.Should().Be(SetupRole.Passive);
        session.LocalIsDtlsClient.Should().BeFalse();
        session.Bundled.Should().BeTrue();
        session.BundleMids.Should().Equal("0", "1");
        session.ExtmapAllowMixed.Should().BeTrue();
        session.Media.Should().HaveCount(2).And.OnlyContain(m => m.Accepted);
    }

    [Fact]
    public void Chrome_whip_offer_audio()
    {
        var audio = NegotiateOk(BrowserOffers.ChromeWhip, NegotiationMode.Publish).Media[0];

        audio.Index.Should().Be(0);
        audio.Mid.Should().Be("0");
        audio.Kind.Should().Be(MediaKind.Audio);
        audio.MediaType.Should().Be("audio");
        audio.Protocol.Should().Be("UDP/TLS/RTP/SAVPF");
        audio.RejectReason.Should().BeNull();
        audio.Codec.Should().Be(new NegotiatedCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1"));
        audio.Codec!.RtpMap.Should().Be("opus/48000/2");
        audio.RtxPayloadType.Should().BeNull();
        audio.Feedback.Should().Equal(new SdpRtcpFeedback(111, "transport-cc", null));
        audio.Extensions.Should().Equal(
            new NegotiatedExtension(1, RtpHeaderExtensionUris.AudioLevel, null),
            new NegotiatedExtension(2, RtpHeaderExtensionUris.AbsSendTime, null),
            new NegotiatedExtension(3, RtpHeaderExtensionUris.TransportWideCc, null),
            new NegotiatedExtension(4, RtpHeaderExtensionUris.Mid, null));
        audio.MidExtensionId.Should().Be(4);
        audio.OfferDirection.Should().Be(MediaDirection.SendOnly);
        audio.AnswerDirection.Should().Be(MediaDirection.RecvOnly);
        audio.RemoteSsrc.Should().Be(2849172649);
        audio.RemoteRtxSsrc.Should().BeNull();
        audio.RemoteCname.Should().Be("uQ4mZc9Lr2Xp7VtB");
        audio.Msid.Should().Be(new SdpMsid("8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
        audio.RtcpRsize.Should().BeTrue();
        audio.OfferedSimulcast.Should().BeFalse();
    }

    [Fact]
    public void Chrome_whip_offer_video_takes_first_offered_supported_codec_with_rtx()
    {
        var video = NegotiateOk(BrowserOffers.ChromeWhip, NegotiationMode.Publish).Media[1];

        video.Mid.Should().Be("1");
        video.Kind.Should().Be(MediaKind.Video);
        video.Codec.Should().Be(new NegotiatedCodec(96, "VP8", 90000, null, null));
        video.RtxPayloadType.Should().Be(97);
        video.Feedback.Select(f => f.ToString()).Should().Equal("transport-cc", "ccm fir", "nack", "nack pli");
        video.Feedback.Should().OnlyContain(f => f.PayloadType == 96);
        // Video orientation and playout delay too (issue 21 item 5): the node forwards them to subscribers.
        video.Extensions.Should().Equal(
            new NegotiatedExtension(2, RtpHeaderExtensionUris.AbsSendTime, null),
            new NegotiatedExtension(13, RtpHeaderExtensionUris.VideoOrientation, null),
            new NegotiatedExtension(3, RtpHeaderExtensionUris.TransportWideCc, null),
            new NegotiatedExtension(5, RtpHeaderExtensionUris.PlayoutDelay, null),
            new NegotiatedExtension(4, RtpHeaderExtensionUris.Mid, null));
        video.AnswerDirection.Should().Be(MediaDirection.RecvOnly);
        video.RemoteSsrc.Should().Be(1836204971);
        video.RemoteRtxSsrc.Should().Be(2475018363);
        video.RemoteCname.Should().Be("uQ4mZc9Lr2Xp7VtB");
        video.Msid!.TrackId.Should().Be("7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d");
    }

    [Theory]
    [InlineData("VP9", 98, 99, "profile-id=0")]
    [InlineData("AV1", 35, 36, "level-idx=5;profile=0;tier=0")]
    [InlineData("42e01f", 106, 107, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")]
    [InlineData("42001f", 102, 103, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f")]
    [InlineData("4d001f", 127, 125, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f")]
    [InlineData("64001f", 112, 113, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f")]
    [InlineData("4de034", 106, 107, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")]
    public void Server_codec_restrictions_pick_the_matching_payload_type(string codec, int pt, int rtx, string fmtp)
    {
        var cap = codec switch
        {
            "VP9" => CodecCapability.Vp9(),
            "AV1" => CodecCapability.Av1(),
            _ => CodecCapability.H264(codec),
        };
        var caps = ServerCapabilities.Default.WithCodecs(CodecCapability.Opus(), cap);

        var video = NegotiateOk(BrowserOffers.ChromeWhip, NegotiationMode.Publish, caps).Media[1];

        video.Codec!.PayloadType.Should().Be(pt);
        video.Codec.Fmtp.Should().Be(fmtp);
        video.RtxPayloadType.Should().Be(rtx);
        video.Feedback.Should().HaveCount(4);
    }

    [Fact]
    public void Server_order_preference_beats_offer_order_when_asked()
    {
        var caps = ServerCapabilities.Default with
        {
            PreferServerOrder = true,
            Codecs = [CodecCapability.Opus(), CodecCapability.H264("42e01f"), CodecCapability.Vp8()],
        };

        NegotiateOk(BrowserOffers.ChromeWhip, NegotiationMode.Publish, caps).Media[1].Codec!.Name.Should().Be("H264");
        NegotiateOk(BrowserOffers.ChromeWhip, NegotiationMode.Publish, caps with { PreferServerOrder = false })
            .Media[1].Codec!.Name.Should().Be("VP8");
    }

    [Fact]
    public void Rtx_can_be_disabled_and_goog_remb_enabled()
    {
        var vp8 = CodecCapability.Vp8() with { Feedback = ["goog-remb", "nack"] };
        var caps = ServerCapabilities.Default with { Rtx = false, Codecs = [CodecCapability.Opus(), vp8] };

        var video = NegotiateOk(BrowserOffers.ChromeWhip, NegotiationMode.Publish, caps).Media[1];

        video.RtxPayloadType.Should().BeNull();
        video.Feedback.Select(f => f.ToString()).Should().Equal("goog-remb", "nack");
    }

    [Fact]
    public void Unsupported_video_profile_rejects_only_the_video_section()
    {
        // Chrome offers High (64001f) but not Constrained High (640c1f).
        var caps = ServerCapabilities.Default.WithCodecs(CodecCapability.Opus(), CodecCapability.H264("640c1f"));

        var session = NegotiateOk(BrowserOffers.ChromeWhip, NegotiationMode.Publish, caps);

        session.Media[0].Accepted.Should().BeTrue();
        session.Media[1].Accepted.Should().BeFalse();
        session.Media[1].RejectReason.Should().Be("no codec in common");
        session.Media[1].Codec.Should().BeNull();
        session.Media[1].AnswerDirection.Should().Be(MediaDirection.Inactive);
        session.BundleMids.Should().Equal("0");
    }

    [Fact]
    public void Firefox_whip_offer()
    {
        var session = NegotiateOk(BrowserOffers.FirefoxWhip, NegotiationMode.Publish);

        session.RemoteIceUfrag.Should().Be("91d3c5a7");
        session.RemoteIcePwd.Should().Be("4f9a2c71e8b35d06a1c9e7f2b8d43a6e");
        session.RemoteFingerprint.ToString().Should().Be(BrowserOffers.FirefoxFingerprint);
        session.LocalSetup.Should().Be(SetupRole.Passive);
        session.ExtmapAllowMixed.Should().BeFalse();
        var audio = session.Media[0];
        audio.Codec.Should().Be(new NegotiatedCodec(109, "opus", 48000, 2, "maxplaybackrate=48000;stereo=1;useinbandfec=1"));
        audio.Feedback.Should().BeEmpty();
        audio.Extensions.Should().Equal(
            new NegotiatedExtension(1, RtpHeaderExtensionUris.AudioLevel, null),
            new NegotiatedExtension(3, RtpHeaderExtensionUris.Mid, null));
        audio.RemoteSsrc.Should().Be(3418072215);
        audio.RemoteCname.Should().Be("{a7c3e9f1-2b4d-4c68-8e0a-1f3b5d7c9e2a}");
        audio.Msid!.TrackId.Should().Be("{e3a1b7c9-4d2f-4e86-9b0a-6c5d8e7f1a23}");
        var video = session.Media[1];
        video.Codec.Should().Be(new NegotiatedCodec(120, "VP8", 90000, null, "max-fs=12288;max-fr=60"));
        video.RtxPayloadType.Should().Be(124);
        video.Feedback.Select(f => f.ToString()).Should().Equal("nack", "nack pli", "ccm fir", "transport-cc");
        video.Extensions.Select(e => e.Id).Should().Equal(3, 4, 7); // playout-delay (6, recvonly) is not ours
        video.RemoteSsrc.Should().Be(2051873196);
        video.RemoteRtxSsrc.Should().Be(3920461758);
    }

    [Fact]
    public void Firefox_h264_only_matches_packetization_mode_1()
    {
        var caps = ServerCapabilities.Default.WithCodecs(CodecCapability.Opus(), CodecCapability.H264("42e01f"));

        var video = NegotiateOk(BrowserOffers.FirefoxWhip, NegotiationMode.Publish, caps).Media[1];

        video.Codec!.PayloadType.Should().Be(126); // 97 is the same profile but packetization-mode 0
        video.RtxPayloadType.Should().Be(127);
    }

    [Fact]
    public void Chrome_whep_offer_is_answered_sendonly()
    {
        var session = NegotiateOk(BrowserOffers.ChromeWhep, NegotiationMode.Subscribe);

        session.Mode.Should().Be(NegotiationMode.Subscribe);
        session.RemoteIceUfrag.Should().Be("Lp3w");
        session.LocalSetup.Should().Be(SetupRole.Passive);
        session.Media.Should().OnlyContain(m => m.Accepted && m.OfferDirection == MediaDirection.RecvOnly
            && m.AnswerDirection == MediaDirection.SendOnly && m.RemoteSsrc == null && m.Msid == null);
        session.Media[0].Codec!.PayloadType.Should().Be(111);
        session.Media[1].Codec!.PayloadType.Should().Be(96);
        session.Media[1].RtxPayloadType.Should().Be(97);
        // transport-cc toward a subscriber (issue 21): the node numbers what it sends it and reads its feedback.
        // abs-send-time, video orientation, transport-wide-cc and mid: each written per subscriber or forwarded.
        session.Media[1].Extensions.Select(e => e.Id).Should().Equal(2, 13, 3, 4);
        session.Media.Should().OnlyContain(m => m.Feedback.Any(f => f.Type == "transport-cc"));
    }

    [Fact]
    public void Whep_capabilities_per_section_follow_each_publishers_codec()
    {
        var parsed = SdpParser.Parse(BrowserOffers.ChromeWhep).Description!;
        var h264 = ServerCapabilities.Default.WithCodecs(CodecCapability.Opus(), CodecCapability.H264("42e01f"));

        var result = SdpNegotiator.Negotiate(parsed, NegotiationMode.Subscribe,
            sectionCapabilities: m => m.Kind == MediaKind.Video ? h264 : ServerCapabilities.Default);

        result.Session!.Media[1].Codec!.PayloadType.Should().Be(106);
    }

    [Theory]
    [InlineData("actpass", SetupRole.Passive, false)]
    [InlineData("active", SetupRole.Passive, false)]
    [InlineData("passive", SetupRole.Active, true)]
    public void Dtls_roles_follow_the_offer(string offered, SetupRole local, bool client)
    {
        var offer = BrowserOffers.ChromeWhip.Replace("a=setup:actpass", $"a=setup:{offered}");

        var session = NegotiateOk(offer, NegotiationMode.Publish);

        session.LocalSetup.Should().Be(local);
        session.LocalIsDtlsClient.Should().Be(client);
    }

    [Fact]
    public void Missing_setup_defaults_to_actpass()
    {
        var session = NegotiateOk(BrowserOffers.ChromeWhip.Replace("a=setup:actpass\r\n", ""), NegotiationMode.Publish);

        session.RemoteSetup.Should().Be(SetupRole.ActPass);
        session.LocalSetup.Should().Be(SetupRole.Passive);
    }

    [Fact]
    public void Holdconn_is_refused()
    {
        NegotiateFail(BrowserOffers.ChromeWhip.Replace("a=setup:actpass", "a=setup:holdconn"))
            .Should().Match<SdpNegotiationError>(e => e.StatusCode == 400 && e.Code == SdpNegotiationErrorCode.InvalidSetup);
    }

    [Fact]
    public void Missing_fingerprint_is_400()
    {
        var offer = string.Join("\r\n", BrowserOffers.ChromeWhip.Split("\r\n").Where(l => !l.StartsWith("a=fingerprint")));

        var error = NegotiateFail(offer);

        error.StatusCode.Should().Be(400);
        error.Code.Should().Be(SdpNegotiationErrorCode.MissingFingerprint);
        error.Reason.Should().Contain("fingerprint");
    }

    [Fact]
    public void Md5_fingerprint_only_is_400()
    {
        var md5 = "md5 " + string.Join(':', Enumerable.Repeat("AB", 16));
        var offer = BrowserOffers.ChromeWhip.Replace(BrowserOffers.ChromeFingerprint, md5);

        NegotiateFail(offer).Code.Should().Be(SdpNegotiationErrorCode.UnsupportedFingerprint);
    }

    [Fact]
    public void Strongest_fingerprint_is_chosen()
    {
        var sha512 = "sha-512 " + string.Join(':', Enumerable.Repeat("CD", 64));
        var offer = BrowserOffers.FirefoxWhip.Replace("a=group:BUNDLE", $"a=fingerprint:{sha512}\r\na=group:BUNDLE");

        var session = NegotiateOk(offer, NegotiationMode.Publish);

        session.RemoteFingerprint.Algorithm.Should().Be("sha-512");
        session.RemoteFingerprints.Select(f => f.Algorithm).Should().Equal("sha-512", "sha-256");
    }

    [Fact]
    public void Missing_ice_credentials_is_400()
    {
        var offer = string.Join("\r\n", BrowserOffers.ChromeWhip.Split("\r\n").Where(l => !l.StartsWith("a=ice-pwd")));

        var error = NegotiateFail(offer);

        error.StatusCode.Should().Be(400);
        error.Code.Should().Be(SdpNegotiationErrorCode.MissingIceCredentials);
    }

    [Fact]
    public void Different_ice_credentials_in_one_bundle_is_400()
    {
        var index = BrowserOffers.ChromeWhip.LastIndexOf("a=ice-ufrag:Xq7m", StringComparison.Ordinal);
        var offer = BrowserOffers.ChromeWhip[..index] + "a=ice-ufrag:Other" + BrowserOffers.ChromeWhip[(index + "a=ice-ufrag:Xq7m".Length)..];

        NegotiateFail(offer).Code.Should().Be(SdpNegotiationErrorCode.MissingIceCredentials);
    }

    [Fact]
    public void Several_sections_without_bundle_is_400()
    {
        var error = NegotiateFail(BrowserOffers.ChromeWhip.Replace("a=group:BUNDLE 0 1\r\n", ""));

        error.StatusCode.Should().Be(400);
        error.Code.Should().Be(SdpNegotiationErrorCode.NotBundled);
    }

    [Fact]
    public void Section_outside_the_bundle_group_is_rejected()
    {
        var session = NegotiateOk(BrowserOffers.ChromeWhip.Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"), NegotiationMode.Publish);

        session.Media[1].Accepted.Should().BeFalse();
        session.Media[1].RejectReason.Should().Be("not in the BUNDLE group");
        session.BundleMids.Should().Equal("0");
    }

    [Fact]
    public void No_common_codec_is_406_naming_what_was_offered()
    {
        var caps = ServerCapabilities.Default.WithCodecs(CodecCapability.H264("640c1f"));

        var error = NegotiateFail(BrowserOffers.FirefoxWhip, caps: caps);

        error.StatusCode.Should().Be(406);
        error.Code.Should().Be(SdpNegotiationErrorCode.NoCommonCodec);
        error.Reason.Should().Contain("audio section 0 offered opus/48000/2, G722/8000/1, PCMU/8000, PCMA/8000")
            .And.Contain("video section 1 offered VP8/90000, VP9/90000, H264/90000")
            .And.Contain("H264/90000 (ConstrainedHigh, packetization-mode=1)");
    }

    [Fact]
    public void H264_packetization_mode_0_only_is_406()
    {
        var offer = """
            v=0
            o=- 1 1 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=fingerprint:sha-256 3F:9A:21:C4:7B:0E:55:D2:8C:16:AF:42:E9:73:0B:6D:C8:91:5E:2A:7F:04:B3:66:D1:38:E5:9C:02:4F:AB:17
            a=ice-ufrag:abcd
            a=ice-pwd:abcdefghijklmnopqrstuvwx
            m=video 9 UDP/TLS/RTP/SAVPF 104
            a=mid:v
            a=sendonly
            a=rtcp-mux
            a=rtpmap:104 H264/90000
            a=fmtp:104 packetization-mode=0;profile-level-id=42e01f
            """;

        var error = NegotiateFail(offer);

        error.StatusCode.Should().Be(406);
        error.Reason.Should().Contain("video section v offered H264/90000");
    }

    [Fact]
    public void Single_section_without_bundle_is_accepted()
    {
        var offer = """
            v=0
            o=- 1 1 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=fingerprint:sha-256 3F:9A:21:C4:7B:0E:55:D2:8C:16:AF:42:E9:73:0B:6D:C8:91:5E:2A:7F:04:B3:66:D1:38:E5:9C:02:4F:AB:17
            a=ice-ufrag:abcd
            a=ice-pwd:abcdefghijklmnopqrstuvwx
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            a=sendrecv
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            """;

        var session = NegotiateOk(offer, NegotiationMode.Publish);

        session.Bundled.Should().BeFalse();
        session.BundleMids.Should().BeEmpty();
        session.Media[0].Mid.Should().BeNull();
        session.Media[0].AnswerDirection.Should().Be(MediaDirection.RecvOnly);
        session.Media[0].Codec!.Fmtp.Should().BeNull();
    }

    [Fact]
    public void Unsupported_protocol_is_406()
    {
        var offer = """
            v=0
            o=- 1 1 IN IP4 0.0.0.0
            s=-
            t=0 0
            a=group:BUNDLE 0
            a=fingerprint:sha-256 3F:9A:21:C4:7B:0E:55:D2:8C:16:AF:42:E9:73:0B:6D:C8:91:5E:2A:7F:04:B3:66:D1:38:E5:9C:02:4F:AB:17
            a=ice-ufrag:abcd
            a=ice-pwd:abcdefghijklmnopqrstuvwx
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            a=mid:0
            a=sctp-port:5000
            """;

        var error = NegotiateFail(offer);

        error.StatusCode.Should().Be(406);
        error.Code.Should().Be(SdpNegotiationErrorCode.UnsupportedProtocol);
        error.Reason.Should().Contain("UDP/DTLS/SCTP");
        NegotiateFail(offer.Replace("m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=audio 9 RTP/AVP 0"))
            .Code.Should().Be(SdpNegotiationErrorCode.UnsupportedProtocol);
    }

    [Fact]
    public void Data_channel_next_to_media_is_rejected_alone()
    {
        var offer = BrowserOffers.ChromeWhip.Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n";

        var session = NegotiateOk(offer, NegotiationMode.Publish);

        session.Media.Should().HaveCount(3);
        session.Media[2].Accepted.Should().BeFalse();
        session.Media[2].Kind.Should().Be(MediaKind.Application);
        session.BundleMids.Should().Equal("0", "1");
    }

    [Fact]
    public void Malformed_sdp_is_400_with_line_numbers()
    {
        var offer = BrowserOffers.ChromeWhip.Replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8");

        var error = NegotiateFail(offer);

        error.StatusCode.Should().Be(400);
        error.Code.Should().Be(SdpNegotiationErrorCode.MalformedSdp);
        var line = BrowserOffers.ChromeWhip.Split("\r\n").ToList().IndexOf("a=rtpmap:96 VP8/90000") + 1;
        error.ParseErrors.Should().ContainSingle().Which.Line.Should().Be(line);
        error.Reason.Should().Contain($"line {line}:");
    }

    [Fact]
    public void Whip_offer_that_only_receives_is_400()
    {
        var error = NegotiateFail(BrowserOffers.ChromeWhep, NegotiationMode.Publish);

        error.StatusCode.Should().Be(400);
        error.Code.Should().Be(SdpNegotiationErrorCode.NoUsableDirection);
        NegotiateFail(BrowserOffers.ChromeWhip, NegotiationMode.Subscribe).Code.Should().Be(SdpNegotiationErrorCode.NoUsableDirection);
    }

    [Fact]
    public void Offer_without_media_or_rtcp_mux_is_refused()
    {
        NegotiateFail("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n").Code.Should().Be(SdpNegotiationErrorCode.NoMedia);

        var noMux = NegotiateFail(BrowserOffers.ChromeWhip.Replace("a=rtcp-mux\r\n", ""));
        noMux.StatusCode.Should().Be(400);
        noMux.Reason.Should().Contain("rtcp-mux");
    }

    [Fact]
    public void Sendrecv_publish_is_answered_recvonly()
    {
        var session = NegotiateOk(BrowserOffers.ChromeWhip.Replace("a=sendonly", "a=sendrecv"), NegotiationMode.Publish);

        session.Media.Should().OnlyContain(m => m.OfferDirection == MediaDirection.SendRecv && m.AnswerDirection == MediaDirection.RecvOnly);
    }
}

public class SdpBundleOnlyTests
{
    [Fact]
    public void Bundle_only_section_with_port_0_is_accepted_on_the_shared_transport()
    {
        // RFC 8843 §6: a bundle-only section has port 0 and no transport attributes of its own.
        var offer = BrowserOffers.ChromeWhip
            .Replace("m=video 54321 ", "m=video 0 ")
            .Replace("a=mid:1\r\n", "a=mid:1\r\na=bundle-only\r\n");

        var session = SdpNegotiator.Negotiate(offer, NegotiationMode.Publish).Session!;

        session.Media[1].Accepted.Should().BeTrue();
        session.Media[1].Codec!.Name.Should().Be("VP8");
        session.BundleMids.Should().Equal("0", "1");
    }
}
