using Gateway.Sdp;
using Gateway.Tests.Sdp;
using Gateway.WebRtc;

namespace Gateway.Tests.WebRtc;

/// <summary>What a WHIP publisher's answer negotiates for active speaker (audio level) and the REMB fallback.</summary>
public class PublisherExtensionsTests
{
    private static NegotiatedSession Publish(string offer)
    {
        var result = SdpNegotiator.Negotiate(offer, NegotiationMode.Publish);
        result.Error.Should().BeNull();
        return result.Session!;
    }

    // Chrome's offer as if transport-cc were switched off (its feedback and its extension).
    private static readonly string WithoutTransportCc = string.Join("\r\n",
        BrowserOffers.ChromeWhip.Split("\r\n").Where(line => !line.Contains("transport-cc") && !line.Contains("transport-wide-cc")));

    [Fact]
    public void The_audio_level_extension_is_answered_and_handed_to_the_node()
    {
        var session = Publish(BrowserOffers.ChromeWhip);

        session.Media[0].Extensions.Should().Contain(e => e.Uri == RtpHeaderExtensionUris.AudioLevel && e.Id == 1);
        SdpAnswerWriter.Write(session, SdpAnswerWriterTests.Local)
            .Should().Contain("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        PublisherExtensions.AudioLevelId(session).Should().Be(1);
    }

    [Fact]
    public void With_transport_cc_no_remb_is_answered_or_sent()
    {
        var session = Publish(BrowserOffers.ChromeWhip);

        session.Media.SelectMany(m => m.Feedback).Should().NotContain(f => f.Matches("goog-remb", null));
        PublisherExtensions.RembAbsSendTimeId(session).Should().BeNull();
    }

    [Fact]
    public void Without_transport_cc_goog_remb_is_answered_and_the_node_gets_abs_send_time()
    {
        var session = Publish(WithoutTransportCc);

        WhipHandler.TransportWideCcExtensionId(session).Should().BeNull();
        session.Media[1].Feedback.Should().Contain(f => f.Matches("goog-remb", null));
        PublisherExtensions.RembAbsSendTimeId(session).Should().Be(2);
    }

    [Fact]
    public void Subscribers_are_never_answered_goog_remb()
    {
        var result = SdpNegotiator.Negotiate(BrowserOffers.ChromeWhep, NegotiationMode.Subscribe);
        result.Error.Should().BeNull();

        result.Session!.Media.SelectMany(m => m.Feedback).Should().NotContain(f => f.Matches("goog-remb", null));
    }
}
