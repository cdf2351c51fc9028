using MediaPlane.Rtcp;

namespace MediaPlane.Tests.Rtcp;

public class RtcpCompoundTests
{
    // Chrome-style compound: RR with one report block, then SDES with a 16-byte CNAME.
    internal static readonly byte[] RrSdes = Hex.Parse("""
        81 c9 00 07 00 00 00 01
        12 34 56 78 05 00 00 0a 00 01 00 2a 00 00 00 10 11 22 33 44 00 00 10 00
        81 ca 00 06 00 00 00 01
        01 10 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 00 00
        """);

    [Fact]
    public void Compound_rr_sdes_parses_field_by_field()
    {
        var reader = new RtcpCompoundReader(RrSdes);
        reader.TryReadNext(out var first).Should().BeTrue();
        first.PacketType.Should().Be(RtcpPacketType.ReceiverReport);
        first.Count.Should().Be(1);
        RtcpReceiverReport.TryParse(first.Bytes, out var rr, out var error).Should().BeTrue(error.ToString());
        rr.SenderSsrc.Should().Be(1u);
        rr.ReportCount.Should().Be(1);
        rr.GetReportBlock(0).Should().Be(new RtcpReportBlock(0x12345678, 5, 10, 0x0001002a, 16, 0x11223344, 0x1000));

        reader.TryReadNext(out var second).Should().BeTrue();
        second.PacketType.Should().Be(RtcpPacketType.SourceDescription);
        RtcpSourceDescription.TryParse(second.Bytes, out var sdes, out error).Should().BeTrue(error.ToString());
        sdes.TryGetCname(out uint ssrc, out var cname).Should().BeTrue();
        ssrc.Should().Be(1u);
        System.Text.Encoding.ASCII.GetString(cname).Should().Be("abcdefghijklmnop");

        reader.TryReadNext(out _).Should().BeFalse();
        reader.Error.Should().Be(RtcpParseError.None);
        RtcpCompoundReader.IsValidCompound(RrSdes, out int count, out _).Should().BeTrue();
        count.Should().Be(2);
    }

    [Fact]
    public void Writers_rebuild_the_compound_byte_for_byte()
    {
        var buffer = new byte[RrSdes.Length];
        RtcpReceiverReport.TryWrite(buffer, 1, [new RtcpReportBlock(0x12345678, 5, 10, 0x0001002a, 16, 0x11223344, 0x1000)], out int rrLength).Should().BeTrue();
        RtcpSourceDescription.TryWriteCname(buffer.AsSpan(rrLength), 1, "abcdefghijklmnop"u8, out int sdesLength).Should().BeTrue();
        (rrLength + sdesLength).Should().Be(RrSdes.Length);
        buffer.Should().Equal(RrSdes);
    }

    [Fact]
    public void Truncated_compound_stops_with_an_error_after_the_good_packets()
    {
        var reader = new RtcpCompoundReader(RrSdes.AsSpan(0, RrSdes.Length - 4));
        reader.TryReadNext(out _).Should().BeTrue();
        reader.TryReadNext(out _).Should().BeFalse();
        reader.Error.Should().Be(RtcpParseError.LengthOverrun);
    }

    [Theory]
    [InlineData("81 c9 00", RtcpParseError.TooShort)]
    [InlineData("41 c9 00 00", RtcpParseError.BadVersion)]
    [InlineData("a0 c9 00 01 00 00 00 00", RtcpParseError.BadPadding)]
    [InlineData("a0 c9 00 01 00 00 00 05", RtcpParseError.BadPadding)]
    public void Bad_headers_report_the_reason(string hex, RtcpParseError expected)
    {
        RtcpCompoundReader.IsValidCompound(Hex.Parse(hex), out _, out var error).Should().BeFalse();
        error.Should().Be(expected);
    }

    [Fact]
    public void Sender_report_round_trips_with_two_blocks()
    {
        var buffer = new byte[100];
        RtcpReportBlock[] blocks =
        [
            new(7, 255, -5, 70000, 3, 4, 5),
            new(8, 0, 0x7FFFFF, uint.MaxValue, 0, 0, 0),
        ];
        RtcpSenderReport.TryWrite(buffer, 42, 0xE1234567_89ABCDEF, 90000, 1000, 1_200_000, blocks, out int written).Should().BeTrue();
        written.Should().Be(4 + 24 + 48);
        RtcpSenderReport.TryParse(buffer.AsSpan(0, written), out var sr, out _).Should().BeTrue();
        sr.SenderSsrc.Should().Be(42u);
        sr.NtpTimestamp.Should().Be(0xE1234567_89ABCDEF);
        sr.RtpTimestamp.Should().Be(90000u);
        sr.PacketCount.Should().Be(1000u);
        sr.OctetCount.Should().Be(1_200_000u);
        sr.ReportCount.Should().Be(2);
        sr.GetReportBlock(0).Should().Be(blocks[0]);
        sr.GetReportBlock(1).Should().Be(blocks[1]);
        RtcpReceiverReport.TryParse(buffer.AsSpan(0, written), out _, out var error).Should().BeFalse();
        error.Should().Be(RtcpParseError.WrongType);
        RtcpSenderReport.TryWrite(buffer.AsSpan(0, written - 1), 42, 0, 0, 0, 0, blocks, out _).Should().BeFalse();
    }

    [Fact]
    public void Sdes_skips_other_items_and_reads_several_chunks()
    {
        // Chunk 1: NAME "ab", CNAME "x", END + pad. Chunk 2: TOOL "t", END + pad (no CNAME).
        var packet = Hex.Parse("""
            82 ca 00 05
            00 00 00 0a 02 02 61 62 01 01 78 00
            00 00 00 0b 06 01 74 00
            """);
        RtcpSourceDescription.TryParse(packet, out var sdes, out var error).Should().BeTrue(error.ToString());
        sdes.ChunkCount.Should().Be(2);
        int offset = 0;
        sdes.TryReadChunk(ref offset, out uint ssrc, out var cname).Should().BeTrue();
        ssrc.Should().Be(10u);
        cname.ToArray().Should().Equal((byte)'x');
        sdes.TryReadChunk(ref offset, out ssrc, out cname).Should().BeTrue();
        ssrc.Should().Be(11u);
        cname.IsEmpty.Should().BeTrue();
        // SC claims 3 chunks but only 2 are there.
        packet[0] = 0x83;
        RtcpSourceDescription.TryParse(packet, out _, out error).Should().BeFalse();
        error.Should().Be(RtcpParseError.Malformed);
    }

    [Fact]
    public void Bye_round_trips_with_reason()
    {
        var buffer = new byte[64];
        RtcpBye.TryWrite(buffer, [1, 2], "done"u8, out int written).Should().BeTrue();
        buffer.AsSpan(0, written).ToArray().Should().Equal(Hex.Parse("82 cb 00 04 00 00 00 01 00 00 00 02 04 64 6f 6e 65 00 00 00"));
        RtcpBye.TryParse(buffer.AsSpan(0, written), out var bye, out _).Should().BeTrue();
        bye.SourceCount.Should().Be(2);
        bye.GetSsrc(1).Should().Be(2u);
        System.Text.Encoding.ASCII.GetString(bye.Reason).Should().Be("done");
        RtcpBye.TryParse(Hex.Parse("81 cb 00 02 00 00 00 01 09 61 62 63"), out _, out var error).Should().BeFalse();
        error.Should().Be(RtcpParseError.Malformed);
    }

    [Fact]
    public void App_round_trips()
    {
        var buffer = new byte[64];
        RtcpApp.TryWrite(buffer, 3, 99, "SFU1"u8, [1, 2, 3, 4], out int written).Should().BeTrue();
        buffer.AsSpan(0, written).ToArray().Should().Equal(Hex.Parse("83 cc 00 03 00 00 00 63 53 46 55 31 01 02 03 04"));
        RtcpApp.TryParse(buffer.AsSpan(0, written), out var app, out _).Should().BeTrue();
        app.Subtype.Should().Be(3);
        app.Ssrc.Should().Be(99u);
        app.Name.ToArray().Should().Equal("SFU1"u8.ToArray());
        app.Data.ToArray().Should().Equal(1, 2, 3, 4);
        RtcpApp.TryWrite(buffer, 3, 99, "SFU"u8, [], out _).Should().BeFalse();
    }
}
