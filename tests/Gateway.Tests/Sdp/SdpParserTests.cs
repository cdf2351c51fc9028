using System.Text;
using Gateway.Sdp;

namespace Gateway.Tests.Sdp;

public class SdpParserTests
{
    private static SessionDescription ParseOk(string sdp)
    {
        var result = SdpParser.Parse(sdp);
        result.Errors.Should().BeEmpty();
        result.Success.Should().BeTrue();
        return result.Description!;
    }

    [Fact]
    public void Chrome_whip_offer_session_level()
    {
        var sdp = ParseOk(BrowserOffers.ChromeWhip);

        sdp.Version.Should().Be(0);
        sdp.Origin.Should().Be(new SdpOrigin("-", "6841926357290143817", "2", "IN", "IP4", "127.0.0.1"));
        sdp.SessionName.Should().Be("-");
        sdp.Timing.Should().Be((0UL, 0UL));
        sdp.BundleGroup!.Mids.Should().Equal("0", "1");
        sdp.ExtmapAllowMixed.Should().BeTrue();
        sdp.MsidSemantic.Should().Be("WMS 8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d");
        sdp.IceLite.Should().BeFalse();
        sdp.Fingerprints.Should().BeEmpty("Chrome writes the fingerprint in each m= section");
        sdp.Media.Should().HaveCount(2);
    }

    [Fact]
    public void Chrome_whip_offer_audio_section()
    {
        var sdp = ParseOk(BrowserOffers.ChromeWhip);
        var audio = sdp.Media[0];

        audio.Index.Should().Be(0);
        audio.Kind.Should().Be(MediaKind.Audio);
        audio.Port.Should().Be(54321);
        audio.Protocol.Should().Be("UDP/TLS/RTP/SAVPF");
        audio.IsRtp.Should().BeTrue();
        audio.PayloadTypes.Should().Equal(111, 63, 9, 0, 8, 13, 110, 126);
        audio.Connection.Should().Be(new SdpConnection("IN", "IP4", "192.168.1.23"));
        audio.Mid.Should().Be("0");
        audio.Direction.Should().Be(MediaDirection.SendOnly);
        audio.Msids.Should().Equal(new SdpMsid("8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
        audio.Ssrcs.Should().Equal(new SdpSsrc(2849172649, "uQ4mZc9Lr2Xp7VtB",
            "8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"));
        audio.SsrcGroups.Should().BeEmpty();
        audio.RtcpMux.Should().BeTrue();
        audio.RtcpRsize.Should().BeTrue();
        audio.RtpMaps.Should().HaveCount(8);
        audio.RtpMap(111).Should().Be(new SdpRtpMap(111, "opus", 48000, 2));
        audio.RtpMap(0).Should().Be(new SdpRtpMap(0, "PCMU", 8000, null));
        audio.Fmtp(111)!.Value.Should().Be("minptime=10;useinbandfec=1");
        audio.Fmtp(111)!.Get("useinbandfec").Should().Be("1");
        audio.Fmtp(63)!.Value.Should().Be("111/111");
        audio.RtcpFeedback.Should().Equal(new SdpRtcpFeedback(111, "transport-cc", null));
        audio.Extmaps.Should().Equal(
            new SdpExtmap(1, null, RtpHeaderExtensionUris.AudioLevel, null),
            new SdpExtmap(2, null, RtpHeaderExtensionUris.AbsSendTime, null),
            new SdpExtmap(3, null, RtpHeaderExtensionUris.TransportWideCc, null),
            new SdpExtmap(4, null, RtpHeaderExtensionUris.Mid, null));
        audio.IceUfrag.Should().Be(BrowserOffers.ChromeUfrag);
        audio.IcePwd.Should().Be(BrowserOffers.ChromePwd);
        audio.IceOptions.Should().Equal("trickle");
        audio.Setup.Should().Be(SetupRole.ActPass);
        audio.Fingerprints.Should().ContainSingle().Which.ToString().Should().Be(BrowserOffers.ChromeFingerprint);
        audio.Fingerprints[0].Algorithm.Should().Be("sha-256");
        audio.Fingerprints[0].Value.Length.Should().Be(32);
        audio.Fingerprints[0].Value[0].Should().Be(0x3F);
        audio.Fingerprints[0].Value[31].Should().Be(0x17);
        audio.EndOfCandidates.Should().BeFalse();
    }

    [Fact]
    public void Chrome_candidates_are_kept_including_mdns_tcp_and_srflx()
    {
        var audio = ParseOk(BrowserOffers.ChromeWhip).Media[0];

        audio.Candidates.Should().HaveCount(4);
        audio.Candidates[0].Should().Be(new SdpCandidate("2784917315", 1, "udp", 2122260223, "192.168.1.23", 54321, "host", null, null));
        audio.Candidates[1].Address.Should().Be("7d0c2e6a-51f8-4b1a-a3f2-9e8d7c6b5a41.local");
        audio.Candidates[2].Transport.Should().Be("tcp");
        audio.Candidates[2].Port.Should().Be(9);
        audio.Candidates[3].Should().Be(new SdpCandidate("842163049", 1, "udp", 1686052607, "203.0.113.45", 54321, "srflx", "192.168.1.23", 54321));
    }

    [Fact]
    public void Chrome_whip_offer_video_section()
    {
        var video = ParseOk(BrowserOffers.ChromeWhip).Media[1];

        video.Kind.Should().Be(MediaKind.Video);
        video.Mid.Should().Be("1");
        video.PayloadTypes.Should().HaveCount(25);
        video.RtpMaps.Should().HaveCount(25);
        video.RtpMap(96).Should().Be(new SdpRtpMap(96, "VP8", 90000, null));
        video.RtpMap(35)!.EncodingName.Should().Be("AV1");
        video.Fmtp(98)!.Get("profile-id").Should().Be("0");
        video.Fmtp(106)!.Get("profile-level-id").Should().Be("42e01f");
        video.Fmtp(97)!.Get("apt").Should().Be("96");
        video.FeedbackFor(96).Select(f => f.ToString()).Should().Equal("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        video.Extmaps.Should().HaveCount(11);
        video.Extmaps.Should().Contain(new SdpExtmap(14, null, "urn:ietf:params:rtp-hdrext:toffset", null));
        video.SsrcGroups.Should().Equal(new SdpSsrcGroup("FID", [1836204971, 2475018363]));
        video.Ssrcs.Select(s => s.Ssrc).Should().Equal(1836204971u, 2475018363u);
        video.Ssrcs.Should().OnlyContain(s => s.Cname == "uQ4mZc9Lr2Xp7VtB" && s.MsidTrackId == "7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d");
        video.HasSimulcast.Should().BeFalse();
    }

    [Fact]
    public void Firefox_offer_uses_session_fingerprint_and_media_ice_credentials()
    {
        var sdp = ParseOk(BrowserOffers.FirefoxWhip);

        sdp.Origin.Username.Should().Be("mozilla...THIS_IS_SDPARTA-128.0");
        sdp.Fingerprints.Should().ContainSingle().Which.ToString().Should().Be(BrowserOffers.FirefoxFingerprint);
        sdp.IceOptions.Should().Equal("trickle");
        sdp.MsidSemantic.Should().Be("WMS *");
        var audio = sdp.Media[0];
        audio.Fingerprints.Should().BeEmpty();
        sdp.EffectiveFingerprints(audio).Should().Equal(sdp.Fingerprints);
        sdp.EffectiveIceUfrag(audio).Should().Be("91d3c5a7");
        sdp.EffectiveIcePwd(audio).Should().Be("4f9a2c71e8b35d06a1c9e7f2b8d43a6e");
        audio.EndOfCandidates.Should().BeTrue();
        audio.Candidates.Should().HaveCount(3);
        audio.Extmaps.Should().Contain(new SdpExtmap(2, MediaDirection.RecvOnly, "urn:ietf:params:rtp-hdrext:csrc-audio-level", null));
        audio.RtpMap(101).Should().Be(new SdpRtpMap(101, "telephone-event", 8000, 1));
        audio.Msids[0].StreamId.Should().Be("{5d8e2f71-0c4a-4b93-8e6d-2a7f1c9b3e05}");
        audio.Ssrcs.Should().Equal(new SdpSsrc(3418072215, "{a7c3e9f1-2b4d-4c68-8e0a-1f3b5d7c9e2a}", null, null));
        var video = sdp.Media[1];
        video.Direction.Should().Be(MediaDirection.SendOnly);
        video.RtcpFeedback.Should().HaveCount(30);
        video.SsrcGroups.Single().Ssrcs.Should().Equal(2051873196u, 3920461758u);
    }

    [Fact]
    public void Lf_only_line_endings_parse_the_same()
    {
        var crlf = ParseOk(BrowserOffers.ChromeWhip);
        var lf = ParseOk(BrowserOffers.ChromeWhip.Replace("\r\n", "\n"));

        lf.Should().BeEquivalentTo(crlf);
    }

    [Fact]
    public void Utf8_bytes_parse_like_the_string()
    {
        var result = SdpParser.Parse(Encoding.UTF8.GetBytes(BrowserOffers.FirefoxWhip));

        result.Success.Should().BeTrue();
        result.Description!.Media.Should().HaveCount(2);
    }

    [Fact]
    public void Unknown_lines_and_attributes_and_simulcast_are_tolerated()
    {
        var sdp = BrowserOffers.ChromeWhip.Replace("a=mid:1\r\n",
            "a=mid:1\r\nb=AS:2500\r\na=x-google-flag:conference\r\na=rid:h send\r\na=rid:l send\r\na=simulcast:send h;l\r\nz=unknown\r\n");

        var video = ParseOk(sdp).Media[1];

        video.HasSimulcast.Should().BeTrue();
        video.Mid.Should().Be("1");
    }

    [Fact]
    public void Malformed_candidate_is_a_warning_not_an_error()
    {
        var sdp = BrowserOffers.ChromeWhip.Replace("a=mid:0\r\n", "a=mid:0\r\na=candidate:garbage\r\n");

        var result = SdpParser.Parse(sdp);

        result.Success.Should().BeTrue();
        result.Warnings.Should().ContainSingle().Which.Reason.Should().Contain("candidate");
        result.Description!.Media[0].Candidates.Should().HaveCount(4);
    }

    [Theory]
    [InlineData("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus/fast/2", "clock rate")]
    [InlineData("a=rtpmap:111 opus/48000/2", "a=rtpmap:x opus/48000/2", "payload type")]
    [InlineData("a=fmtp:111 minptime=10;useinbandfec=1", "a=fmtp:abc minptime=10", "fmtp")]
    [InlineData("a=rtcp-fb:111 transport-cc", "a=rtcp-fb:111", "rtcp-fb")]
    [InlineData("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=extmap:0 urn:x", "extmap id")]
    [InlineData("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=extmap:1/sideways urn:x", "extmap direction")]
    [InlineData("a=ssrc:2849172649 cname:uQ4mZc9Lr2Xp7VtB", "a=ssrc:notanumber cname:x", "SSRC")]
    [InlineData("a=ssrc:2849172649 cname:uQ4mZc9Lr2Xp7VtB", "a=ssrc:4294967296 cname:x", "SSRC")]
    [InlineData("a=setup:actpass", "a=setup:maybe", "setup")]
    [InlineData("a=ice-ufrag:Xq7m", "a=ice-ufrag:ab", "ice-ufrag")]
    [InlineData("a=ice-pwd:h3K9pL2vN8qR4sT6wY1zA5bC", "a=ice-pwd:short", "ice-pwd")]
    [InlineData("a=mid:0", "a=mid:has space", "mid")]
    [InlineData("a=sendonly", "a=sendonly\r\na=recvonly", "direction")]
    [InlineData("m=audio 54321 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=audio 54321 UDP/TLS/RTP/SAVPF 1111 63", "payload type")]
    [InlineData("m=audio 54321 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=audio 99999 UDP/TLS/RTP/SAVPF 111", "port")]
    [InlineData("m=audio 54321 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=audio 54321", "m=")]
    [InlineData("o=- 6841926357290143817 2 IN IP4 127.0.0.1", "o=- 684 2 IN IP4", "o=")]
    [InlineData("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 \"1\"", "group")]
    [InlineData("a=msid:8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "a=msid:a b c", "msid")]
    [InlineData("a=ssrc-group:FID 1836204971 2475018363", "a=ssrc-group:FID 1836204971", "FID")]
    [InlineData("a=setup:actpass", "this is not sdp", "<type>=<value>")]
    public void Malformed_lines_are_errors_with_the_line_number(string original, string replacement, string reasonPart)
    {
        var index = BrowserOffers.ChromeWhip.IndexOf(original + "\r\n", StringComparison.Ordinal);
        index.Should().BeGreaterThanOrEqualTo(0);
        var expectedLine = BrowserOffers.ChromeWhip[..index].Count(c => c == '\n') + 1;
        var sdp = string.Concat(BrowserOffers.ChromeWhip.AsSpan(0, index), replacement,
            BrowserOffers.ChromeWhip.AsSpan(index + original.Length));

        var result = SdpParser.Parse(sdp);

        result.Success.Should().BeFalse();
        result.Description.Should().BeNull();
        result.Errors.Should().Contain(e => e.Line >= expectedLine && e.Line <= expectedLine + 1
            && e.Reason.Contains(reasonPart, StringComparison.OrdinalIgnoreCase));
        result.ErrorMessage.Should().Contain($"line {result.Errors[0].Line}:");
    }

    [Fact]
    public void Bad_fingerprints_are_errors()
    {
        var shortHash = BrowserOffers.ChromeWhip.Replace(":AB:17\r\n", "\r\n");
        var badHex = BrowserOffers.ChromeWhip.Replace("3F:9A:21", "3F:9G:21");

        SdpParser.Parse(shortHash).Errors.Should().Contain(e => e.Reason.Contains("30 bytes, sha-256 needs 32"));
        SdpParser.Parse(badHex).Errors.Should().Contain(e => e.Reason.Contains("hex"));
    }

    [Fact]
    public void Sdp_must_start_with_version_zero()
    {
        SdpParser.Parse("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n").Errors[0].Should().Be(new SdpParseError(1, "SDP must start with v=0"));
        SdpParser.Parse("v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\n").Errors[0].Line.Should().Be(1);
        SdpParser.Parse("v=0\r\ns=-\r\n").Errors.Should().Contain(e => e.Reason.Contains("no o= line"));
    }

    [Fact]
    public void Duplicate_mids_are_an_error()
    {
        var sdp = BrowserOffers.ChromeWhip.Replace("a=mid:1\r\n", "a=mid:0\r\n");

        SdpParser.Parse(sdp).Errors.Should().Contain(e => e.Reason.Contains("more than one m= section"));
    }

    [Theory]
    [InlineData('\0')]
    [InlineData('\u0001')]
    [InlineData('\u001b')]
    [InlineData('\u007f')]
    public void Control_characters_are_rejected(char control)
    {
        var sdp = BrowserOffers.ChromeWhip.Replace("a=mid:1", $"a=mid:1{control}");

        var result = SdpParser.Parse(sdp);

        result.Success.Should().BeFalse();
        result.Errors[0].Reason.Should().Contain("control character");
    }

    [Fact]
    public void Bare_carriage_return_is_rejected()
    {
        var result = SdpParser.Parse("v=0\ro=- 1 1 IN IP4 0.0.0.0\r\n");

        result.Errors.Should().ContainSingle().Which.Should().Be(new SdpParseError(1, "carriage return not followed by line feed"));
    }

    [Fact]
    public void Huge_sdp_is_rejected_before_parsing()
    {
        var huge = BrowserOffers.ChromeWhip + string.Concat(Enumerable.Repeat("a=x-padding:0123456789abcdef\r\n", 3000));

        var result = SdpParser.Parse(huge);

        result.Success.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Reason.Should().Contain("65536");
        SdpParser.Parse(Encoding.UTF8.GetBytes(huge)).Errors[0].Reason.Should().Contain("65536");
    }

    [Fact]
    public void Too_many_lines_and_sections_are_rejected()
    {
        var lines = new SdpLimits { MaxLines = 50 };
        SdpParser.Parse(BrowserOffers.ChromeWhip, lines).Errors.Should().Contain(e => e.Line == 51 && e.Reason.Contains("50 lines"));

        var manySections = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
            + string.Concat(Enumerable.Range(0, 40).Select(i => $"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:{i}\r\n"));
        SdpParser.Parse(manySections).Errors.Should().ContainSingle().Which.Reason.Should().Contain("32 m= sections");
    }

    [Fact]
    public void Binary_garbage_and_empty_input_are_errors()
    {
        var random = new Random(7);
        var garbage = new byte[4096];
        random.NextBytes(garbage);

        SdpParser.Parse(garbage).Success.Should().BeFalse();
        SdpParser.Parse([0xC3, 0x28]).Errors[0].Reason.Should().Contain("UTF-8");
        SdpParser.Parse((string?)null).Errors[0].Reason.Should().Be("SDP is empty");
        SdpParser.Parse("").Success.Should().BeFalse();
        SdpParser.Parse("\r\n\r\n").Errors[0].Reason.Should().Be("SDP is empty");
        SdpParser.Parse(Encoding.Latin1.GetString(garbage)).Success.Should().BeFalse();
    }

    [Fact]
    public void Minimal_sdp_without_media_parses()
    {
        var sdp = ParseOk("v=0\no=- 1 2 IN IP4 0.0.0.0\ns=x\nt=0 0\n");

        sdp.Media.Should().BeEmpty();
        sdp.SessionName.Should().Be("x");
    }
}
