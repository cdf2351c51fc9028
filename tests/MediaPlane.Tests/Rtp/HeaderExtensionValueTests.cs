using MediaPlane.Rtp;

namespace MediaPlane.Tests.Rtp;

/// <summary>Transport-wide sequence number, abs-send-time and audio level read from both RFC 8285 forms.</summary>
public class HeaderExtensionValueTests
{
    // One-byte form: id 3 abs-send-time aa bb cc, id 5 transport-wide seq 01 02 (see RtpPacketTests.ChromeStyle).
    [Fact]
    public void Reads_the_transport_sequence_and_abs_send_time_of_a_known_packet()
    {
        RtpPacketReader.TryParse(RtpPacketTests.ChromeStyle, out var packet, out _).Should().BeTrue();
        TransportSequenceNumberExtension.TryRead(packet, 5, out ushort sequence).Should().BeTrue();
        sequence.Should().Be(0x0102);
        AbsSendTimeExtension.TryRead(packet, 3, out uint sendTime).Should().BeTrue();
        sendTime.Should().Be(0xAABBCCu);
        TransportSequenceNumberExtension.TryRead(packet, 4, out _).Should().BeFalse("id 4 is absent");
        TransportSequenceNumberExtension.TryRead(packet, 3, out _).Should().BeTrue("3 bytes still hold a 2-byte value");
        AbsSendTimeExtension.TryRead(packet, 5, out _).Should().BeFalse("2 bytes are not an abs-send-time");
    }

    [Theory]
    [InlineData(RtpExtensionForm.OneByte)]
    [InlineData(RtpExtensionForm.TwoByte)]
    public void Reads_all_three_from_a_written_packet(RtpExtensionForm form)
    {
        var buffer = new byte[200];
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(false, 111, 7, 960, 0x1234, [], form).Should().BeTrue();
        Span<byte> value = stackalloc byte[3];
        TransportSequenceNumberExtension.TryWrite(value, 65535).Should().BeTrue();
        writer.TryAddExtension(7, value[..2]).Should().BeTrue();
        AbsSendTimeExtension.TryWrite(value, AbsSendTimeExtension.FromMicros(1_500_000)).Should().BeTrue();
        writer.TryAddExtension(2, value).Should().BeTrue();
        AudioLevelExtension.TryWrite(value, true, 42).Should().BeTrue();
        writer.TryAddExtension(1, value[..1]).Should().BeTrue();
        writer.TryFinish([1, 2, 3], 0, out int written).Should().BeTrue();

        RtpPacketReader.TryParse(buffer.AsSpan(0, written), out var packet, out _).Should().BeTrue();
        TransportSequenceNumberExtension.TryRead(packet, 7, out ushort sequence).Should().BeTrue();
        sequence.Should().Be(65535);
        AbsSendTimeExtension.TryRead(packet, 2, out uint sendTime).Should().BeTrue();
        sendTime.Should().Be(0x060000u, "1.5 s in 6.18 fixed point");
        AbsSendTimeExtension.ToMicros(sendTime).Should().Be(1_500_000);
        AudioLevelExtension.TryRead(packet, 1, out bool voice, out byte level).Should().BeTrue();
        voice.Should().BeTrue();
        level.Should().Be(42);
    }

    [Fact]
    public void Abs_send_time_wraps_every_64_seconds()
    {
        AbsSendTimeExtension.FromMicros(64_000_000).Should().Be(0u);
        AbsSendTimeExtension.FromMicros(63_999_999).Should().Be(0u, "rounds up to 2^24 ticks, which wraps");
        AbsSendTimeExtension.FromMicros(63_999_990).Should().Be(0xFFFFFDu, "63.99999 s x 262144 = 16777213.4");
        AbsSendTimeExtension.ToMicros(0xFFFFFF).Should().BeInRange(63_999_990, 63_999_999);
    }

    [Fact]
    public void Audio_level_reads_vad_and_level_bits()
    {
        AudioLevelExtension.TryRead([0x7F], out bool voice, out byte level).Should().BeTrue();
        (voice, level).Should().Be((false, (byte)127));
        AudioLevelExtension.TryRead([0x85, 0, 0, 0], out voice, out level).Should().BeTrue("padded two-byte form element");
        (voice, level).Should().Be((true, (byte)5));
        AudioLevelExtension.TryRead([], out _, out _).Should().BeFalse();
        AudioLevelExtension.TryWrite(new byte[1], false, 128).Should().BeFalse("levels stop at 127");
    }

    [Fact]
    public void Reading_extension_values_allocates_nothing()
    {
        var packet = RtpPacketTests.ChromeStyle;
        long sum = 0;
        long bytes = SteadyStateAllocations.Measure(() =>
        {
            RtpPacketReader.TryParse(packet, out var reader, out _);
            TransportSequenceNumberExtension.TryRead(reader, 5, out ushort sequence);
            AbsSendTimeExtension.TryRead(reader, 3, out uint sendTime);
            AudioLevelExtension.TryRead(reader, 1, out _, out byte level);
            sum += sequence + sendTime + level;
        });
        bytes.Should().Be(0);
        sum.Should().BeGreaterThan(0);
    }
}
