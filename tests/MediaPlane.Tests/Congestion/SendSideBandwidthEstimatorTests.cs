using MediaPlane.Congestion;
using MediaPlane.Rtcp;

namespace MediaPlane.Tests.Congestion;

/// <summary>
/// The estimator against feedback traces from <see cref="LinkSimulator"/>: real transport-cc packets built by
/// the generator from a simulated bottleneck, in simulated time. Each failure message carries the trace.
/// </summary>
public class SendSideBandwidthEstimatorTests
{
    [Fact]
    public void Capacity_step_down_from_2_Mbit_to_300_kbit_settles_within_20_percent_in_a_few_seconds()
    {
        var link = new LinkSimulator();
        var trace = new Trace();
        link.Run(30, trace.Add);
        trace.Mean(20, 30).Should().BeInRange(1_600_000, 2_200_000, trace.ToString());

        link.CapacityBitsPerSecond = 300_000;
        link.Run(12, trace.Add);
        trace.Min(33, 42).Should().BeGreaterThanOrEqualTo(0.75 * 300_000, "from 3 s after the step on\n" + trace);
        trace.Max(33, 42).Should().BeLessThanOrEqualTo(1.2 * 300_000, trace.ToString());
        trace.Mean(33, 42).Should().BeInRange(0.85 * 300_000, 1.1 * 300_000, trace.ToString());
    }

    [Fact]
    public void Capacity_step_up_climbs_back_on_its_own()
    {
        var link = new LinkSimulator();
        var trace = new Trace();
        link.CapacityBitsPerSecond = 300_000;
        link.Run(20, trace.Add);
        trace.Mean(15, 20).Should().BeInRange(250_000, 330_000, trace.ToString());

        link.CapacityBitsPerSecond = 2_000_000;
        link.Run(30, trace.Add);
        trace.Max(20, 50).Should().BeGreaterThanOrEqualTo(1_600_000, "multiplicative increase reaches 80 % within 30 s\n" + trace);
        trace.Max(20, 50).Should().BeLessThanOrEqualTo(2_400_000, trace.ToString());
    }

    [Fact]
    public void A_probe_result_above_the_estimate_raises_it_and_one_below_does_not()
    {
        var estimator = new SendSideBandwidthEstimator(new SentPacketHistory(), new BandwidthEstimatorOptions { InitialBitsPerSecond = 500_000 });
        estimator.OnProbeResult(400_000, 0);
        estimator.BitsPerSecond.Should().Be(500_000);
        estimator.OnProbeResult(1_200_000, 0);
        estimator.BitsPerSecond.Should().Be(1_200_000);
        estimator.DelayBasedBitsPerSecond.Should().Be(1_200_000);
    }

    [Fact]
    public void Probe_clusters_measured_from_feedback_find_a_capacity_step_up()
    {
        var link = new LinkSimulator();
        var trace = new Trace();
        link.CapacityBitsPerSecond = 300_000;
        link.Run(20, trace.Add);
        link.CapacityBitsPerSecond = 2_000_000;
        for (int cluster = 1; cluster <= 5; cluster++)
        {
            link.ProbeThroughFeedback(2 * link.Estimator.BitsPerSecond, cluster);
            link.Run(1, trace.Add);
        }
        trace.Max(23, 25).Should().BeGreaterThanOrEqualTo(1_600_000, "each cluster at twice the estimate doubles it while the path has room\n" + trace);
        trace.Max(20, 25).Should().BeLessThanOrEqualTo(2_400_000, trace.ToString());

        // Probing a path without room does not raise the estimate past it.
        link.CapacityBitsPerSecond = 2_000_000;
        link.Run(10);
        link.ProbeThroughFeedback(6_000_000, 6);
        link.Run(1);
        link.Estimator.BitsPerSecond.Should().BeLessThanOrEqualTo(2_400_000);
    }

    [Fact]
    public void A_delay_ramp_makes_the_estimate_drop_and_a_flat_delay_does_not()
    {
        Run(ramp: true).Should().BeLessThan(900_000, "a queue building (one-way delay +100 ms/s) is over-use");
        Run(ramp: false).Should().BeGreaterThanOrEqualTo(1_000_000, "the same path without the ramp");

        static long Run(bool ramp)
        {
            var link = new LinkSimulator(new BandwidthEstimatorOptions { InitialBitsPerSecond = 1_000_000 })
            {
                CapacityBitsPerSecond = 10_000_000,
                ApplicationMaxBitsPerSecond = 1_000_000,
            };
            link.Run(10);
            link.Estimator.BitsPerSecond.Should().BeGreaterThanOrEqualTo(1_000_000);
            long lowest = long.MaxValue;
            for (int step = 0; step < 30; step++)
            {
                if (ramp)
                    link.ExtraDelayMicros += 10_000;
                link.Run(0.1);
                lowest = Math.Min(lowest, link.Estimator.BitsPerSecond);
            }
            return lowest;
        }
    }

    [Fact]
    public void A_loss_burst_makes_the_estimate_drop_then_recover()
    {
        var link = new LinkSimulator { CapacityBitsPerSecond = 10_000_000, ApplicationMaxBitsPerSecond = 1_000_000 };
        var trace = new Trace();
        link.Run(10, trace.Add);
        long before = link.Estimator.BitsPerSecond;
        before.Should().BeGreaterThanOrEqualTo(1_000_000);

        link.RandomLoss = 0.3;
        link.Run(2, trace.Add);
        trace.Min(11.5, 12).Should().BeLessThan(0.6 * before, "30 % loss for 2 s\n" + trace);
        link.Estimator.LossFraction.Should().BeInRange(0.15, 0.5, "the last interval's fraction of a 30 % random loss");

        link.RandomLoss = 0;
        link.Run(15, trace.Add);
        trace.Max(12, 27).Should().BeGreaterThanOrEqualTo(1_000_000, "loss under 2 % grows the estimate 8 %/s\n" + trace);
        trace.Min(26, 27).Should().BeGreaterThanOrEqualTo(1_000_000, trace.ToString());
    }

    [Fact]
    public void Receiver_report_loss_above_10_percent_cuts_and_below_2_percent_grows()
    {
        var estimator = new SendSideBandwidthEstimator(new SentPacketHistory(), new BandwidthEstimatorOptions { InitialBitsPerSecond = 1_000_000 });
        estimator.OnReceiverReport(77, 1_000_000); // 30 %
        estimator.BitsPerSecond.Should().BeCloseTo(850_000, 1000, "× (1 - 0.5 × 0.30)");
        estimator.OnReceiverReport(77, 1_100_000);
        estimator.BitsPerSecond.Should().BeCloseTo(850_000, 1000, "one cut per 300 ms + RTT");
        estimator.OnReceiverReport(13, 2_000_000); // 5 %: hold
        estimator.BitsPerSecond.Should().BeCloseTo(850_000, 1000);
        estimator.OnReceiverReport(0, 3_000_000);
        estimator.BitsPerSecond.Should().BeCloseTo(919_000, 1000, "1 s at 8 %/s: 850 × 1.08 + 1");
        estimator.OnReceiverReport(0, 4_000_000);
        estimator.OnReceiverReport(0, 5_000_000);
        estimator.BitsPerSecond.Should().Be(1_000_000, "the delay-based estimate caps it");
    }

    [Fact]
    public void Feedback_for_unknown_or_repeated_packets_changes_nothing()
    {
        var history = new SentPacketHistory();
        var estimator = new SendSideBandwidthEstimator(history);
        var buffer = new byte[100];
        RtcpTransportFeedback.TryWrite(buffer, 1, 2, 0, [new TwccArrival(500, 1000), new TwccArrival(502, 2000)], out int written);
        estimator.TryOnTransportFeedback(buffer.AsSpan(0, written), 0).Should().BeTrue();
        estimator.BitsPerSecond.Should().Be(new BandwidthEstimatorOptions().InitialBitsPerSecond);
        estimator.TryOnTransportFeedback(buffer.AsSpan(0, 10), 0).Should().BeFalse("truncated");
    }

    [Fact]
    public void History_remembers_send_time_and_size_and_forgets_what_the_ring_overwrote()
    {
        var history = new SentPacketHistory(16);
        history.Record(65535, 10, 100);
        history.NextSequenceNumber.Should().Be(0);
        history.RecordNext(20, 1200).Should().Be(0);
        history.TryGet(65535, out long sent, out int size).Should().BeTrue();
        (sent, size).Should().Be((10L, 100));
        for (int i = 0; i < 16; i++)
            history.RecordNext(30 + i, 1000);
        history.TryGet(0, out _, out _).Should().BeFalse("overwritten by sequence 16");
        history.TryGet(15, out sent, out _).Should().BeTrue();
        sent.Should().Be(44);
    }

    [Fact]
    public void Sending_and_handling_feedback_allocate_nothing()
    {
        var history = new SentPacketHistory();
        var estimator = new SendSideBandwidthEstimator(history);
        var generator = new TransportFeedbackGenerator(1, 2);
        var feedback = new byte[1500];
        long now = 0;
        int sequence = 0;
        long bytes = SteadyStateAllocations.Measure(() =>
        {
            for (int i = 0; i < 10; i++, sequence++)
            {
                now += 1000;
                history.Record((ushort)sequence, now, 1200);
                if (sequence % 20 != 7)
                    generator.OnPacket((ushort)sequence, now + 20_000);
            }
            while (generator.TryBuildFeedback(now, feedback, out int written))
                estimator.TryOnTransportFeedback(feedback.AsSpan(0, written), now + 40_000);
        });
        bytes.Should().Be(0);
    }

    /// <summary>The estimate every 100 ms of simulated time.</summary>
    private sealed class Trace
    {
        private readonly List<(double Seconds, long Estimate, long Capacity)> _samples = [];

        public void Add(LinkSimulator link) => _samples.Add((link.NowMicros / 1e6, link.Estimator.BitsPerSecond, link.CapacityBitsPerSecond));

        public double Mean(double from, double to) => Between(from, to).Average(s => (double)s.Estimate);

        public double Min(double from, double to) => Between(from, to).Min(s => (double)s.Estimate);

        public double Max(double from, double to) => Between(from, to).Max(s => (double)s.Estimate);

        private IEnumerable<(double Seconds, long Estimate, long Capacity)> Between(double from, double to) =>
            _samples.Where(s => s.Seconds >= from - 1e-9 && s.Seconds <= to + 1e-9);

        public override string ToString() => string.Join("\n", _samples.Where((_, i) => i % 5 == 4)
            .Select(s => $"{s.Seconds,6:F1} s  capacity {s.Capacity / 1000,5} kbit/s  estimate {s.Estimate / 1000,5} kbit/s"));
    }
}
