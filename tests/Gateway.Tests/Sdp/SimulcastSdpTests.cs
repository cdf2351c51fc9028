using Gateway.Sdp;

namespace Gateway.Tests.Sdp;

/// <summary>a=rid (RFC 8851) and a=simulcast (RFC 8853): parsed, negotiated for publishers, written in answers.</summary>
public class SimulcastSdpTests
{
    private const string VideoMsid = "a=msid:8b2f4c1e-3d5a-4f6b-9c7d-1e2f3a4b5c6d 7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d";

    // Chrome with three encodings: no a=ssrc in the video section, one a=rid per layer and the a=simulcast list.
    private static readonly string ChromeSimulcastLines = "a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n";

    /// <summary>Chrome's WHIP offer with its video section turned into a simulcast one carrying <paramref name="lines"/>.</summary>
    internal static string SimulcastOffer(string lines)
    {
        var kept = new List<string>();
        bool video = false;
        foreach (var line in BrowserOffers.ChromeWhip.Split("\r\n"))
        {
            video |= line.StartsWith("m=video", StringComparison.Ordinal);
            if (video && line.StartsWith("a=ssrc", StringComparison.Ordinal))
                continue;
            kept.Add(line);
            if (video && line == VideoMsid)
                kept.Add(lines.TrimEnd('\r', '\n'));
        }
        return string.Join("\r\n", kept);
    }

    private static MediaDescription ParseVideo(string lines)
    {
        var result = SdpParser.Parse(SimulcastOffer(lines));
        result.Errors.Should().BeEmpty();
        return result.Description!.Media[1];
    }

    private static SdpParseResult Parse(string lines) => SdpParser.Parse(SimulcastOffer(lines));

    private static NegotiatedMedia NegotiateVideo(string lines, NegotiationMode mode = NegotiationMode.Publish, ServerCapabilities? caps = null)
    {
        var result = SdpNegotiator.Negotiate(SimulcastOffer(lines), mode, caps);
        result.Error.Should().BeNull();
        return result.Session!.Media[1];
    }

    [Fact]
    public void Chrome_simulcast_section_is_parsed()
    {
        var video = ParseVideo(ChromeSimulcastLines);

        video.HasSimulcast.Should().BeTrue();
        video.Ssrcs.Should().BeEmpty();
        video.Rids.Select(r => (r.Id, r.Direction)).Should().Equal(("q", MediaDirection.SendOnly), ("h", MediaDirection.SendOnly), ("f", MediaDirection.SendOnly));
        video.Simulcast!.Send.Select(s => s.Single().Rid).Should().Equal("q", "h", "f");
        video.Simulcast.Receive.Should().BeEmpty();
    }

    [Fact]
    public void Rid_parameters_alternatives_and_paused_streams_are_parsed()
    {
        var video = ParseVideo("a=rid:1 send pt=96,98;max-width=1280;max-fps=30\r\na=rid:2 send\r\na=rid:3 send\r\na=simulcast:send 1,2;~3 recv 4\r\n");

        video.Rids[0].PayloadTypes.Should().Equal(96, 98);
        video.Rids[0].Restrictions.Should().Equal(new KeyValuePair<string, string?>("max-width", "1280"), new KeyValuePair<string, string?>("max-fps", "30"));
        video.Simulcast!.Send.Should().HaveCount(2);
        video.Simulcast.Send[0].Should().Equal(new SdpSimulcastId("1", false), new SdpSimulcastId("2", false));
        video.Simulcast.Send[1].Should().Equal(new SdpSimulcastId("3", true));
        video.Simulcast.Receive.Single().Should().Equal(new SdpSimulcastId("4", false));
    }

    [Theory]
    [InlineData("a=rid:q\r\n", "rid must be")]
    [InlineData("a=rid:q sideways\r\n", "rid direction")]
    [InlineData("a=rid:q/1 send\r\n", "rid must be")]
    [InlineData("a=rid:q send\r\na=rid:q recv\r\n", "given twice")]
    [InlineData("a=rid:q send pt=96,x\r\n", "pt=")]
    [InlineData("a=rid:q send pt=300\r\n", "pt=")]
    [InlineData("a=simulcast:send\r\n", "simulcast must be")]
    [InlineData("a=simulcast:send q;;f\r\n", "simulcast streams")]
    [InlineData("a=simulcast:send q,~\r\n", "simulcast streams")]
    [InlineData("a=simulcast:send q send h\r\n", "each once")]
    [InlineData("a=simulcast:sideways q\r\n", "each once")]
    [InlineData("a=simulcast:send q\r\na=simulcast:send h\r\n", "given twice")]
    public void Malformed_rid_and_simulcast_lines_are_errors_not_exceptions(string lines, string message)
    {
        var result = Parse(lines);

        result.Success.Should().BeFalse();
        result.ErrorMessage.Should().Contain(message);
    }

    [Fact]
    public void A_publisher_gets_its_three_layers_and_the_rid_extensions()
    {
        var video = NegotiateVideo(ChromeSimulcastLines);

        video.Accepted.Should().BeTrue();
        video.OfferedSimulcast.Should().BeTrue();
        video.SimulcastRids.Should().Equal("q", "h", "f");
        video.RemoteSsrc.Should().BeNull("simulcast layers are found by RID, not by a=ssrc");
        video.Extensions.Select(e => e.Uri).Should().Contain([RtpHeaderExtensionUris.RtpStreamId, RtpHeaderExtensionUris.RepairedRtpStreamId, RtpHeaderExtensionUris.Mid]);
    }

    [Fact]
    public void The_answer_receives_the_kept_layers()
    {
        var session = SdpNegotiator.Negotiate(SimulcastOffer(ChromeSimulcastLines), NegotiationMode.Publish).Session!;
        var answer = SdpAnswerWriter.Write(session, SdpAnswerWriterTests.Local);

        answer.Split("\r\n").Should().ContainInOrder("m=video 7882 UDP/TLS/RTP/SAVPF 96 97", "a=rid:q recv", "a=rid:h recv", "a=rid:f recv", "a=simulcast:recv q;h;f");
        var parsed = SdpParser.Parse(answer);
        parsed.Errors.Should().BeEmpty();
        parsed.Description!.Media[1].Rids.Should().OnlyContain(r => r.Direction == MediaDirection.RecvOnly);
    }

    [Fact]
    public void A_non_simulcast_answer_negotiates_no_rid_extension()
    {
        var video = SdpNegotiator.Negotiate(BrowserOffers.ChromeWhip, NegotiationMode.Publish).Session!.Media[1];

        video.SimulcastRids.Should().BeEmpty();
        video.Extensions.Select(e => e.Uri).Should().NotContain([RtpHeaderExtensionUris.RtpStreamId, RtpHeaderExtensionUris.RepairedRtpStreamId]);
    }

    [Fact]
    public void At_most_three_layers_first_usable_alternative_each()
    {
        var video = NegotiateVideo("a=rid:a send\r\na=rid:b send\r\na=rid:c send\r\na=rid:d send\r\na=rid:e send\r\na=simulcast:send x,a;b;c;d;e\r\n");

        video.SimulcastRids.Should().Equal("a", "b", "c");
    }

    [Fact]
    public void A_layer_whose_pt_list_excludes_the_chosen_codec_is_dropped()
    {
        var video = NegotiateVideo("a=rid:q send pt=98\r\na=rid:h send\r\na=rid:f send pt=96\r\na=simulcast:send q;h;f\r\n");

        video.Codec!.PayloadType.Should().Be(96);
        video.SimulcastRids.Should().Equal("h", "f");
    }

    [Fact]
    public void One_usable_layer_is_not_simulcast()
    {
        var video = NegotiateVideo("a=rid:q send\r\na=rid:h recv\r\na=simulcast:send q;h\r\n");

        video.SimulcastRids.Should().BeEmpty("h is a receive RID, so one stream is left");
    }

    [Fact]
    public void Simulcast_can_be_turned_off_and_subscribers_never_get_it()
    {
        NegotiateVideo(ChromeSimulcastLines, caps: ServerCapabilities.Default with { MaxSimulcastLayers = 1 }).SimulcastRids.Should().BeEmpty();
        var watch = SdpNegotiator.Negotiate(SimulcastOffer("a=rid:q recv\r\na=rid:h recv\r\na=simulcast:recv q;h\r\n").Replace("a=sendonly", "a=recvonly"), NegotiationMode.Subscribe);
        watch.Error.Should().BeNull();
        watch.Session!.Media[1].SimulcastRids.Should().BeEmpty("a subscriber gets one stream");
    }
}
