using MediaPlane.Routing.Speakers;
using MediaPlane.Rtp;

namespace MediaPlane.Tests.Routing.Speakers;

/// <summary>Per-producer smoothing of RFC 6464 levels.</summary>
public class AudioLevelMeterTests
{
    [Fact]
    public void A_steady_level_is_reached_within_a_few_hundred_ms_and_one_click_barely_moves_it()
    {
        var meter = new AudioLevelMeter(extensionId: 1);
        long now = 0;
        for (int i = 0; i < 50; i++, now += 20) // 1 s of -20 dBov, up from silence
            meter.OnLevel(20, now);
        meter.LevelDbov(now).Should().BeInRange(-22, -20);

        for (int i = 0; i < 50; i++, now += 20) // 1 s of near silence
            meter.OnLevel(100, now);
        int quiet = meter.LevelDbov(now);
        quiet.Should().BeInRange(-102, -100);

        meter.OnLevel(0, now); // one 0 dBov click
        meter.LevelDbov(now).Should().BeLessThan(quiet + 15, "1/8 of the way");
    }

    [Fact]
    public void A_stream_without_levels_for_a_while_reads_as_silence()
    {
        var meter = new AudioLevelMeter(1);
        meter.LevelDbov(0).Should().Be(AudioLevelMeter.SilenceDbov, "nothing heard yet");
        for (long now = 0; now < 400; now += 20)
            meter.OnLevel(10, now);

        meter.LevelDbov(400).Should().BeGreaterThan(-20);
        meter.LevelDbov(400 + AudioLevelMeter.SilenceAfterMs + 1).Should().Be(AudioLevelMeter.SilenceDbov);
    }

    [Fact]
    public void Levels_are_read_from_the_negotiated_extension_id_without_allocating()
    {
        var buffer = new byte[64];
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(false, 111, 1, 960, 0x1234, extensionForm: RtpExtensionForm.OneByte).Should().BeTrue();
        writer.TryAddExtension(5, [0x80 | 30]).Should().BeTrue(); // voice, -30 dBov
        writer.TryFinish([1, 2, 3], 0, out int written).Should().BeTrue();
        var packet = buffer[..written];
        var meter = new AudioLevelMeter(5);
        var other = new AudioLevelMeter(6);
        long now = 0;

        long allocated = SteadyStateAllocations.Measure(() =>
        {
            RtpPacketReader.TryParse(packet, out var header, out _);
            meter.OnPacket(header, now += 20);
            other.OnPacket(header, now);
        });

        allocated.Should().Be(0);
        meter.LevelDbov(now).Should().Be(-30);
        other.LevelDbov(now).Should().Be(AudioLevelMeter.SilenceDbov, "id 6 was not in the packets");
    }
}
