using System.Diagnostics;
using LinkEmulator;

namespace Regions.Tests;

/// <summary>The emulator's per-link model, without sockets: delay, jitter bounds, loss rate, rate and queue limit.</summary>
public class EmulatedLinkTests
{
    private static readonly long TicksPerMs = Stopwatch.Frequency / 1000;

    [Fact]
    public void Delay_and_jitter_stay_within_their_bounds()
    {
        var link = new EmulatedLink(1, 2) { Settings = new LinkSettings(DelayMs: 80, JitterMs: 5, LossPercent: 0, RateKbit: 0) };
        var delays = Enumerable.Range(0, 10_000).Select(_ => (double)link.Schedule(100, 0)!.Value / TicksPerMs).ToArray();

        delays.Min().Should().BeInRange(75, 76);
        delays.Max().Should().BeInRange(84, 85);
        delays.Average().Should().BeApproximately(80, 0.3);
    }

    [Fact]
    public void Loss_drops_about_its_share()
    {
        var link = new EmulatedLink(1, 2) { Settings = new LinkSettings(0, 0, LossPercent: 5, 0) };
        int lost = Enumerable.Range(0, 20_000).Count(_ => link.Schedule(100, 0) is null);

        lost.Should().BeInRange(800, 1200, "5% of 20,000 is 1,000 (σ ≈ 31)");
        link.Lost.Should().Be(lost);
    }

    [Fact]
    public void Rate_serialises_back_to_back_datagrams_and_drops_beyond_half_a_second_of_queue()
    {
        // 1,000 kbit/s: a 1,250-byte datagram takes 10 ms on the wire.
        var link = new EmulatedLink(1, 2) { Settings = new LinkSettings(DelayMs: 20, 0, 0, RateKbit: 1000) };

        long first = link.Schedule(1250, 0)!.Value;
        long second = link.Schedule(1250, 0)!.Value;
        first.Should().Be(30 * TicksPerMs);
        second.Should().Be(40 * TicksPerMs);

        int accepted = 2 + Enumerable.Range(0, 100).Count(_ => link.Schedule(1250, 0) is not null);
        accepted.Should().Be(51, "the queue holds 500 ms: 50 waiting datagrams plus the one being sent");
        link.QueueDropped.Should().Be(51);
    }

    [Theory]
    [InlineData("1 2 80 5 5 1000", true)]
    [InlineData("3 4 0.5 0 0 0", true)]
    [InlineData("1 2 80 5 101 0", false)]
    [InlineData("1 2 -1 0 0 0", false)]
    [InlineData("1 2 80 5 5", false)]
    [InlineData("generation 3", false)]
    public void Config_lines_parse_or_are_refused(string line, bool valid)
    {
        LinkSettings.TryParseLine(line, out _, out _, out _).Should().Be(valid);
    }
}
