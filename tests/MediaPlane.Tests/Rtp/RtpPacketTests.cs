using MediaPlane.Rtp;

namespace MediaPlane.Tests.Rtp;

public class RtpPacketTests
{
    // Opus-like packet with a Chrome-style one-byte extension block: id 3 (abs-send-time, 3 bytes)
    // and id 5 (transport-wide sequence number, 2 bytes), one byte of element padding.
    internal static readonly byte[] ChromeStyle = Hex.Parse("""
        90 6f 12 34 00 01 e2 40 de ad be ef
        be de 00 02 32 aa bb cc 51 01 02 00
        01 02 03 04
        """);

    [Fact]
    public void Parses_every_field_of_a_known_packet()
    {
        RtpPacketReader.TryParse(ChromeStyle, out var p, out var error).Should().BeTrue(error.ToString());
        p.Version.Should().Be(2);
        p.HasPadding.Should().BeFalse();
        p.HasExtension.Should().BeTrue();
        p.Marker.Should().BeFalse();
        p.PayloadType.Should().Be(111);
        p.SequenceNumber.Should().Be(0x1234);
        p.Timestamp.Should().Be(123456);
        p.Ssrc.Should().Be(0xdeadbeef);
        p.CsrcCount.Should().Be(0);
        p.ExtensionProfile.Should().Be(0xBEDE);
        p.HeaderLength.Should().Be(24);
        p.Payload.ToArray().Should().Equal(1, 2, 3, 4);
        p.TryFindExtension(3, out ReadOnlySpan<byte> absSendTime).Should().BeTrue();
        absSendTime.ToArray().Should().Equal(0xaa, 0xbb, 0xcc);
        p.TryFindExtension(5, out ReadOnlySpan<byte> twcc).Should().BeTrue();
        twcc.ToArray().Should().Equal(0x01, 0x02);
        p.TryFindExtension(4, out ReadOnlySpan<byte> _).Should().BeFalse();
    }

    [Fact]
    public void Rewrites_in_place_keep_everything_else()
    {
        var packet = (byte[])ChromeStyle.Clone();
        packet[1] |= 0x80; // marker
        RtpHeaderRewriter.TrySetSsrc(packet, 0x11223344).Should().BeTrue();
        RtpHeaderRewriter.TrySetSequenceNumber(packet, 0xFFFF).Should().BeTrue();
        RtpHeaderRewriter.TrySetTimestamp(packet, 0xCAFEBABE).Should().BeTrue();
        RtpHeaderRewriter.TrySetPayloadType(packet, 96).Should().BeTrue();
        RtpHeaderRewriter.TryRewriteExtension(packet, 5, [0xAB, 0xCD]).Should().BeTrue();
        RtpHeaderRewriter.TryRewriteExtension(packet, 5, [0xAB]).Should().BeFalse("lengths must match");
        RtpHeaderRewriter.TrySetPayloadType(packet, 128).Should().BeFalse();

        RtpPacketReader.TryParse(packet, out var p, out _).Should().BeTrue();
        p.Ssrc.Should().Be(0x11223344);
        p.SequenceNumber.Should().Be(0xFFFF);
        p.Timestamp.Should().Be(0xCAFEBABE);
        p.PayloadType.Should().Be(96);
        p.Marker.Should().BeTrue();
        p.TryFindExtension(5, out ReadOnlySpan<byte> twcc).Should().BeTrue();
        twcc.ToArray().Should().Equal(0xAB, 0xCD);
        p.TryFindExtension(3, out ReadOnlySpan<byte> abs).Should().BeTrue();
        abs.ToArray().Should().Equal(0xaa, 0xbb, 0xcc);
        p.Payload.ToArray().Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public void Writer_reproduces_the_known_packet()
    {
        var buffer = new byte[64];
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(false, 111, 0x1234, 123456, 0xdeadbeef, default, RtpExtensionForm.OneByte).Should().BeTrue();
        writer.TryAddExtension(3, [0xaa, 0xbb, 0xcc]).Should().BeTrue();
        writer.TryAddExtension(5, [0x01, 0x02]).Should().BeTrue();
        writer.TryFinish([1, 2, 3, 4], 0, out int written).Should().BeTrue();
        buffer.AsSpan(0, written).ToArray().Should().Equal(ChromeStyle);
    }

    [Fact]
    public void Csrcs_two_byte_extensions_and_padding_round_trip()
    {
        var buffer = new byte[200];
        var writer = new RtpPacketWriter(buffer);
        uint[] csrcs = [1, 2, 0xFFFFFFFF];
        writer.TryBegin(true, 96, 65535, uint.MaxValue, 42, csrcs, RtpExtensionForm.TwoByte).Should().BeTrue();
        writer.TryAddExtension(200, new byte[20]).Should().BeTrue();
        writer.TryAddExtension(7, ReadOnlySpan<byte>.Empty).Should().BeTrue();
        writer.TryAddExtension(9, [9, 9, 9]).Should().BeTrue();
        byte[] payload = [10, 20, 30, 40, 50];
        writer.TryFinish(payload, 3, out int written).Should().BeTrue();

        RtpPacketReader.TryParse(buffer.AsSpan(0, written), out var p, out var error).Should().BeTrue(error.ToString());
        p.HasPadding.Should().BeTrue();
        p.PaddingLength.Should().Be(3);
        p.Marker.Should().BeTrue();
        p.CsrcCount.Should().Be(3);
        p.GetCsrc(0).Should().Be(1u);
        p.GetCsrc(2).Should().Be(0xFFFFFFFF);
        p.ExtensionProfile.Should().Be(0x1000);
        p.TryFindExtension(200, out ReadOnlySpan<byte> big).Should().BeTrue();
        big.Length.Should().Be(20);
        p.TryFindExtension(7, out ReadOnlySpan<byte> empty).Should().BeTrue();
        empty.Length.Should().Be(0);
        p.TryFindExtension(9, out ReadOnlySpan<byte> nine).Should().BeTrue();
        nine.ToArray().Should().Equal(9, 9, 9);
        p.Payload.ToArray().Should().Equal(payload);
        ((p.ExtensionData.Length) % 4).Should().Be(0);
    }

    [Fact]
    public void One_byte_form_stops_at_id_15_and_rejects_out_of_range_ids()
    {
        // ext: id 1 len 1 (0x10 0xAA), id 15 (0xF0), then "id 2" that must not be found.
        var packet = Hex.Parse("90 00 00 01 00 00 00 01 00 00 00 01 be de 00 02 10 aa f0 21 bb cc 00 00");
        RtpPacketReader.TryParse(packet, out var p, out _).Should().BeTrue();
        p.TryFindExtension(1, out ReadOnlySpan<byte> one).Should().BeTrue();
        one.ToArray().Should().Equal(0xaa);
        p.TryFindExtension(2, out ReadOnlySpan<byte> _).Should().BeFalse();
        p.TryFindExtension(15, out ReadOnlySpan<byte> _).Should().BeFalse();
        p.TryFindExtension(0, out ReadOnlySpan<byte> _).Should().BeFalse();
        var writer = new RtpPacketWriter(new byte[64]);
        writer.TryBegin(false, 0, 0, 0, 0, default, RtpExtensionForm.OneByte).Should().BeTrue();
        writer.TryAddExtension(15, [1]).Should().BeFalse();
        writer.TryAddExtension(1, new byte[17]).Should().BeFalse();
    }

    [Theory]
    [InlineData("80 00 00 01 00 00 00 01 00 00 00", RtpParseError.TooShort)]
    [InlineData("40 00 00 01 00 00 00 01 00 00 00 01", RtpParseError.BadVersion)]
    [InlineData("81 00 00 01 00 00 00 01 00 00 00 01", RtpParseError.CsrcOverrun)]
    [InlineData("90 00 00 01 00 00 00 01 00 00 00 01 be de", RtpParseError.ExtensionOverrun)]
    [InlineData("90 00 00 01 00 00 00 01 00 00 00 01 be de 00 01", RtpParseError.ExtensionOverrun)]
    [InlineData("a0 00 00 01 00 00 00 01 00 00 00 01 00 00 00 00", RtpParseError.BadPadding)]
    [InlineData("a0 00 00 01 00 00 00 01 00 00 00 01 00 05", RtpParseError.BadPadding)]
    [InlineData("a0 00 00 01 00 00 00 01 00 00 00 01", RtpParseError.BadPadding)]
    public void Malformed_packets_report_the_reason(string hex, RtpParseError expected)
    {
        RtpPacketReader.TryParse(Hex.Parse(hex), out _, out var error).Should().BeFalse();
        error.Should().Be(expected);
    }

    [Fact]
    public void Padding_may_cover_the_whole_payload()
    {
        RtpPacketReader.TryParse(Hex.Parse("a0 00 00 01 00 00 00 01 00 00 00 01 00 00 00 04"), out var p, out _).Should().BeTrue();
        p.Payload.Length.Should().Be(0);
        p.PaddingLength.Should().Be(4);
    }
}
