using MediaPlane.Congestion;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;

namespace MediaPlane.Tests.Congestion;

/// <summary>The REMB fallback: receive-side estimate from abs-send-time and the REMB schedule.</summary>
public class RembTests
{
    /// <summary>
    /// A publisher sending 1200-byte packets at <paramref name="sendBitsPerSecond"/> through a bottleneck of
    /// <paramref name="capacityBitsPerSecond"/>, its sender clock starting at <paramref name="senderClockStartMicros"/>;
    /// returns the lowest estimate over the last 5 s of <paramref name="seconds"/>.
    /// </summary>
    private static long Simulate(long sendBitsPerSecond, long capacityBitsPerSecond, double seconds, long senderClockStartMicros = 0,
        long bottleneckFromMicros = 0)
    {
        var estimator = new AbsSendTimeReceiveEstimator(new BandwidthEstimatorOptions { InitialBitsPerSecond = 800_000 });
        long interval = 1200 * 8_000_000L / sendBitsPerSecond, service = 1200 * 8_000_000L / capacityBitsPerSecond;
        long lastDeparture = 0, lowest = long.MaxValue, end = (long)(seconds * 1e6), nextUpdate = 100_000;
        for (long send = 0; send < end; send += interval)
        {
            lastDeparture = Math.Max(send, lastDeparture) + (send >= bottleneckFromMicros ? service : 1000);
            estimator.OnPacket(AbsSendTimeExtension.FromMicros(senderClockStartMicros + send), lastDeparture + 20_000, 1200);
            if (send >= nextUpdate)
            {
                estimator.Update(send);
                nextUpdate += 100_000;
                if (send > end - 5_000_000)
                    lowest = Math.Min(lowest, estimator.BitsPerSecond);
            }
        }
        return lowest;
    }

    [Fact]
    public void A_bottleneck_below_the_send_rate_brings_the_estimate_under_it()
    {
        Simulate(1_000_000, 600_000, 10).Should().BeLessThan(600_000);
        Simulate(1_000_000, 10_000_000, 10).Should().BeGreaterThanOrEqualTo(800_000, "no bottleneck, no drop");
    }

    [Fact]
    public void The_64_second_wrap_of_abs_send_time_is_not_a_delay_jump()
    {
        // The sender clock crosses 64 s (the 24-bit value wraps) 5 s into the run: no drop on a free path,
        // and a bottleneck that starts after the wrap is still seen.
        Simulate(1_000_000, 10_000_000, 10, senderClockStartMicros: 59_000_000).Should().BeGreaterThanOrEqualTo(800_000);
        Simulate(1_000_000, 600_000, 12, senderClockStartMicros: 59_000_000, bottleneckFromMicros: 6_000_000).Should().BeLessThan(600_000);
    }

    [Fact]
    public void Remb_goes_out_every_second_and_at_once_on_a_3_percent_drop()
    {
        var scheduler = new RembScheduler();
        var buffer = new byte[64];
        scheduler.TryWrite(buffer, 1, [0xAABBCCDD], 1_000_000, 0, out int written).Should().BeTrue("the first one");
        RtcpRemb.TryParse(buffer.AsSpan(0, written), out var remb, out _).Should().BeTrue();
        remb.Bitrate.Should().Be(1_000_000);
        remb.GetSsrc(0).Should().Be(0xAABBCCDD);
        scheduler.TryWrite(buffer, 1, [0xAABBCCDD], 1_100_000, 500_000, out _).Should().BeFalse("rising: wait for the second");
        scheduler.TryWrite(buffer, 1, [0xAABBCCDD], 980_000, 600_000, out _).Should().BeFalse("a 2 % drop waits too");
        scheduler.TryWrite(buffer, 1, [0xAABBCCDD], 960_000, 700_000, out _).Should().BeTrue("4 % down");
        scheduler.TryWrite(buffer, 1, [0xAABBCCDD], 2_000_000, 1_700_000, out _).Should().BeTrue("a second later");
        scheduler.LastSentBitsPerSecond.Should().Be(2_000_000);
    }

    [Fact]
    public void Receive_side_estimation_allocates_nothing()
    {
        var estimator = new AbsSendTimeReceiveEstimator();
        long t = 0;
        SteadyStateAllocations.Measure(() =>
        {
            t += 1000;
            estimator.OnPacket(AbsSendTimeExtension.FromMicros(t), t + 20_000, 1200);
            if (t % 100_000 == 0)
                estimator.Update(t);
        }).Should().Be(0);
    }
}
