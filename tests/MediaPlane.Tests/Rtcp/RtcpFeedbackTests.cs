using MediaPlane.Rtcp;

namespace MediaPlane.Tests.Rtcp;

public class RtcpFeedbackTests
{
    [Fact]
    public void Generic_nack_from_hex_enumerates_lost_sequence_numbers()
    {
        // PID 1000, BLP 0b1000_0000_0000_0101: 1000, 1001, 1003, 1016; PID 65535, BLP 1: 65535, 0.
        var packet = Hex.Parse("81 cd 00 04 00 00 00 01 00 00 00 02 03 e8 80 05 ff ff 00 01");
        RtcpGenericNack.TryParse(packet, out var nack, out var error).Should().BeTrue(error.ToString());
        nack.SenderSsrc.Should().Be(1u);
        nack.MediaSsrc.Should().Be(2u);
        nack.ItemCount.Should().Be(2);
        Span<ushort> lost = stackalloc ushort[34];
        int count = nack.CopyLostSequenceNumbers(lost);
        lost[..count].ToArray().Should().Equal(1000, 1001, 1003, 1016, 65535, 0);
    }

    [Fact]
    public void Generic_nack_writer_packs_pid_and_blp()
    {
        ushort[] lost = [1000, 1001, 1003, 1016, 1017, 65535, 0, 5];
        var buffer = new byte[64];
        RtcpGenericNack.TryWrite(buffer, 1, 2, lost, out int written).Should().BeTrue();
        RtcpGenericNack.TryParse(buffer.AsSpan(0, written), out var nack, out _).Should().BeTrue();
        nack.ItemCount.Should().Be(3);
        nack.GetItem(0, out ushort pid, out ushort blp);
        (pid, blp).Should().Be(((ushort)1000, (ushort)0x8005));
        nack.GetItem(1, out pid, out blp);
        (pid, blp).Should().Be(((ushort)1017, (ushort)0));
        nack.GetItem(2, out pid, out blp);
        (pid, blp).Should().Be(((ushort)65535, (ushort)0b100001));
        Span<ushort> back = stackalloc ushort[64];
        int count = nack.CopyLostSequenceNumbers(back);
        back[..count].ToArray().Should().Equal(lost);
    }

    [Fact]
    public void Pli_round_trips_and_matches_hex()
    {
        var buffer = new byte[12];
        RtcpPictureLossIndication.TryWrite(buffer, 1, 0xCAFEBABE, out int written).Should().BeTrue();
        buffer.AsSpan(0, written).ToArray().Should().Equal(Hex.Parse("81 ce 00 02 00 00 00 01 ca fe ba be"));
        RtcpPictureLossIndication.TryParse(buffer, out var pli, out _).Should().BeTrue();
        pli.MediaSsrc.Should().Be(0xCAFEBABE);
        RtcpGenericNack.TryParse(buffer, out _, out var error).Should().BeFalse();
        error.Should().Be(RtcpParseError.WrongType);
    }

    [Fact]
    public void Fir_round_trips_and_matches_hex()
    {
        var buffer = new byte[32];
        RtcpFullIntraRequest.TryWrite(buffer, 1, [0x11223344], [7], out int written).Should().BeTrue();
        buffer.AsSpan(0, written).ToArray().Should().Equal(Hex.Parse("84 ce 00 04 00 00 00 01 00 00 00 00 11 22 33 44 07 00 00 00"));
        RtcpFullIntraRequest.TryParse(buffer.AsSpan(0, written), out var fir, out _).Should().BeTrue();
        fir.EntryCount.Should().Be(1);
        fir.GetEntry(0, out uint ssrc, out byte seq);
        ssrc.Should().Be(0x11223344u);
        seq.Should().Be(7);
    }

    [Fact]
    public void Remb_decodes_exponent_and_mantissa()
    {
        // 1,000,000 bps = 250000 << 2: exp 2, mantissa 0x3D090.
        var packet = Hex.Parse("8f ce 00 05 00 00 00 01 00 00 00 00 52 45 4d 42 01 0b d0 90 de ad be ef");
        RtcpRemb.TryParse(packet, out var remb, out var error).Should().BeTrue(error.ToString());
        remb.Bitrate.Should().Be(1_000_000ul);
        remb.SsrcCount.Should().Be(1);
        remb.GetSsrc(0).Should().Be(0xdeadbeef);
        var buffer = new byte[packet.Length];
        RtcpRemb.TryWrite(buffer, 1, 1_000_000, [0xdeadbeef], out int written).Should().BeTrue();
        buffer.AsSpan(0, written).ToArray().Should().Equal(packet);
    }

    [Theory]
    [InlineData(0ul)]
    [InlineData(262143ul)]
    [InlineData(262144ul)]
    [InlineData(2_500_000ul)]
    [InlineData(ulong.MaxValue)]
    public void Remb_round_trips_within_mantissa_precision(ulong bitrate)
    {
        var buffer = new byte[32];
        RtcpRemb.TryWrite(buffer, 1, bitrate, [1, 2, 3], out int written).Should().BeTrue();
        RtcpRemb.TryParse(buffer.AsSpan(0, written), out var remb, out _).Should().BeTrue();
        remb.SsrcCount.Should().Be(3);
        remb.Bitrate.Should().BeLessThanOrEqualTo(bitrate);
        ((double)(bitrate - remb.Bitrate)).Should().BeLessThanOrEqualTo(bitrate / 131072.0 + 1);
    }
}
