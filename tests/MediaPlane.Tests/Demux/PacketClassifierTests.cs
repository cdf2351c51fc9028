using MediaPlane.Demux;

namespace MediaPlane.Tests.Demux;

public class PacketClassifierTests
{
    [Theory]
    [InlineData(0, PacketKind.Stun)]
    [InlineData(3, PacketKind.Stun)]
    [InlineData(4, PacketKind.Relay)]
    [InlineData(15, PacketKind.Relay)]
    [InlineData(16, PacketKind.Zrtp)]
    [InlineData(19, PacketKind.Zrtp)]
    [InlineData(20, PacketKind.Dtls)]
    [InlineData(22, PacketKind.Dtls)]
    [InlineData(63, PacketKind.Dtls)]
    [InlineData(64, PacketKind.TurnChannel)]
    [InlineData(79, PacketKind.TurnChannel)]
    [InlineData(80, PacketKind.Quic)]
    [InlineData(127, PacketKind.Quic)]
    [InlineData(128, PacketKind.Rtp)]
    [InlineData(191, PacketKind.Rtp)]
    [InlineData(192, PacketKind.Quic)]
    [InlineData(255, PacketKind.Quic)]
    public void First_byte_boundaries(int first, PacketKind expected)
    {
        PacketClassifier.Classify([(byte)first, 0x60, 0, 0]).Should().Be(expected);
    }

    [Theory]
    [InlineData(0x7F, PacketKind.Rtp)]   // PT 127, no marker
    [InlineData(0x80, PacketKind.Rtp)]   // PT 0 with marker
    [InlineData(0xBF, PacketKind.Rtp)]   // PT 63 with marker, 191: last byte before RTCP
    [InlineData(192, PacketKind.Rtcp)]   // lowest RTCP type range (RFC 5761 §4)
    [InlineData(200, PacketKind.Rtcp)]   // SR
    [InlineData(206, PacketKind.Rtcp)]   // PSFB
    [InlineData(223, PacketKind.Rtcp)]
    [InlineData(224, PacketKind.Rtp)]    // PT 96 with marker
    [InlineData(0xEF, PacketKind.Rtp)]   // PT 111 with marker (Opus)
    public void Rtp_and_rtcp_are_told_apart_by_the_second_byte(int second, PacketKind expected)
    {
        PacketClassifier.Classify([0x80, (byte)second, 0, 0]).Should().Be(expected);
    }

    [Fact]
    public void Too_short_is_unknown()
    {
        PacketClassifier.Classify([]).Should().Be(PacketKind.Unknown);
        PacketClassifier.Classify([0x80]).Should().Be(PacketKind.Unknown);
        PacketClassifier.Classify([0x00]).Should().Be(PacketKind.Stun, "STUN parsing decides about length");
    }

    [Fact]
    public void Real_packets_classify_as_their_protocol()
    {
        PacketClassifier.Classify(Stun.Rfc5769VectorTests.SampleRequest).Should().Be(PacketKind.Stun);
        PacketClassifier.Classify(Rtp.RtpPacketTests.ChromeStyle).Should().Be(PacketKind.Rtp);
        PacketClassifier.Classify(Rtcp.RtcpCompoundTests.RrSdes).Should().Be(PacketKind.Rtcp);
        PacketClassifier.Classify(Rtcp.RtcpTransportFeedbackTests.Small).Should().Be(PacketKind.Rtcp);
    }

    [Fact]
    public void Every_first_byte_maps_to_exactly_one_kind()
    {
        var counts = new Dictionary<PacketKind, int>();
        for (int b = 0; b < 256; b++)
        {
            var kind = PacketClassifier.Classify([(byte)b, 0x00]);
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        counts.Should().BeEquivalentTo(new Dictionary<PacketKind, int>
        {
            [PacketKind.Stun] = 4,
            [PacketKind.Relay] = 12,
            [PacketKind.Zrtp] = 4,
            [PacketKind.Dtls] = 44,
            [PacketKind.TurnChannel] = 16,
            [PacketKind.Quic] = 48 + 64,
            [PacketKind.Rtp] = 64,
        });
    }
}
