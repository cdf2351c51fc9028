using MediaPlane.Relay.Probing;

namespace MediaPlane.Tests.Relay.Probing;

/// <summary>The arithmetic of one link's probe statistics, on a hand-driven clock.</summary>
public sealed class LinkProbeStatsTests
{
    [Fact]
    public void Nothing_is_reported_before_the_first_reply()
    {
        var stats = new LinkProbeStats();
        stats.Sent(0);
        stats.TryMeasure(5000, 1500, out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Loss_counts_only_probes_old_enough_to_have_been_answered()
    {
        var stats = new LinkProbeStats();
        for (int i = 0; i < 10; i++)
        {
            uint number = stats.Sent(i * 1000);
            if (i is not 3 and not 9)
                stats.Answered(number, 20);
        }
        // At 10 s, probe 9 (sent at 9 s) may still be on its way: 1 of the 9 due probes is lost.
        stats.TryMeasure(10_000, 1500, out double rtt, out double loss, out double jitter).Should().BeTrue();
        loss.Should().BeApproximately(100.0 / 9, 0.01);
        rtt.Should().Be(20);
        jitter.Should().Be(0);
        // Later probe 9 is due too: 2 of 10.
        stats.TryMeasure(20_000, 1500, out _, out loss, out _);
        loss.Should().Be(20);
    }

    [Fact]
    public void A_slower_link_shows_within_one_probe_and_late_or_repeated_replies_count_nothing()
    {
        var stats = new LinkProbeStats();
        stats.Answered(stats.Sent(0), 20);
        uint second = stats.Sent(1000);
        stats.Answered(second, 420);
        stats.TryMeasure(2000, 1500, out double rtt, out _, out double jitter);
        rtt.Should().Be(220, "half weight on the newest sample");
        jitter.Should().BeApproximately(200.0 / 16, 1e-9, "RFC 3550 gain 1/16 on the one-way change");

        stats.Answered(second, 5000); // a duplicate reply
        stats.Answered(12345, 1); // a reply to a probe never sent
        stats.TryMeasure(2000, 1500, out rtt, out _, out _);
        rtt.Should().Be(220);
    }
}
