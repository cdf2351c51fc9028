using MediaPlane.Congestion;

namespace MediaPlane.Tests.Congestion;

public class SimulcastLayerSelectorTests
{
    // Typical Chromium simulcast for 640x480: q 150 kbit/s, h 500 kbit/s, f 1.5 Mbit/s; Opus 40 kbit/s.
    private static readonly long[] Layers = [150_000, 500_000, 1_500_000];
    private const long Audio = 40_000;
    private const long Second = 1_000_000;

    [Fact]
    public void Starts_on_the_highest_layer_that_fits_after_audio()
    {
        new SimulcastLayerSelector().Select(2_000_000, Audio, Layers, 0).Should().Be(2);
        new SimulcastLayerSelector().Select(1_530_000, Audio, Layers, 0).Should().Be(1, "1.53 M - 40 k audio leaves less than 1.5 M");
        new SimulcastLayerSelector().Select(300_000, Audio, Layers, 0).Should().Be(0);
    }

    [Fact]
    public void Moves_down_at_once_when_the_current_layer_no_longer_fits()
    {
        var selector = new SimulcastLayerSelector();
        selector.Select(2_000_000, Audio, Layers, 0).Should().Be(2);
        selector.Select(1_400_000, Audio, Layers, 100_000).Should().Be(1);
        selector.Select(300_000, Audio, Layers, 200_000).Should().Be(0, "straight past the middle layer");
    }

    [Fact]
    public void Moves_up_only_after_the_estimate_exceeded_the_next_layer_with_margin_for_the_hold_time()
    {
        var selector = new SimulcastLayerSelector();
        selector.Select(300_000, Audio, Layers, 0).Should().Be(0);
        // 550 k - 40 k = 510 k: fits 500 k but not with the 15 % margin -> never up.
        for (long t = 0; t <= 10 * Second; t += Second / 10)
            selector.Select(550_000, Audio, Layers, t).Should().Be(0);
        selector.ProbeTargetBitsPerSecond.Should().Be(575_000 + Audio, "the next layer with margin, audio included");

        // 640 k leaves 600 k >= 575 k: up after 3 s, not before.
        long start = 11 * Second;
        selector.Select(640_000, Audio, Layers, start).Should().Be(0);
        selector.PendingUpLayer.Should().Be(1);
        selector.Select(640_000, Audio, Layers, start + 2_900_000).Should().Be(0);
        selector.Select(640_000, Audio, Layers, start + 3 * Second).Should().Be(1);
        selector.PendingUpLayer.Should().Be(SimulcastLayerSelector.Paused);
    }

    [Fact]
    public void A_dip_during_the_hold_restarts_it()
    {
        var selector = new SimulcastLayerSelector();
        selector.Select(300_000, Audio, Layers, 0).Should().Be(0);
        selector.Select(700_000, Audio, Layers, 0);
        selector.Select(560_000, Audio, Layers, 2 * Second).Should().Be(0, "the margin is lost for a moment");
        selector.Select(700_000, Audio, Layers, 2_100_000);
        selector.Select(700_000, Audio, Layers, 4 * Second).Should().Be(0, "only 1.9 s since the dip");
        selector.Select(700_000, Audio, Layers, 5_100_000).Should().Be(1);
    }

    [Fact]
    public void An_estimate_swinging_around_a_layer_boundary_does_not_flap()
    {
        var selector = new SimulcastLayerSelector();
        int switches = 0, layer = selector.Select(1_000_000, Audio, Layers, 0);
        // A GCC sawtooth around 1.6 M: 1.45 M .. 1.75 M with a 2 s period, for a minute.
        for (long t = 0; t < 60 * Second; t += 100_000)
        {
            long estimate = 1_600_000 + (long)(150_000 * Math.Sin(2 * Math.PI * t / (2.0 * Second)));
            int next = selector.Select(estimate, Audio, Layers, t);
            switches += next != layer ? 1 : 0;
            layer = next;
        }
        switches.Should().BeLessThanOrEqualTo(1);
        layer.Should().Be(1, "1.5 M × 1.15 + audio is never held for 3 s");
    }

    [Fact]
    public void Audio_is_reserved_and_video_pauses_before_it_would_starve_audio()
    {
        var selector = new SimulcastLayerSelector();
        selector.Select(200_000, Audio, Layers, 0).Should().Be(0);
        selector.Select(120_000, Audio, Layers, Second).Should().Be(0, "80 k left is more than half the lowest layer (75 k)");
        selector.Select(100_000, 60_000, Layers, 2 * Second).Should().Be(SimulcastLayerSelector.Paused, "40 k left after audio");
        selector.Select(300_000, Audio, Layers, 3 * Second).Should().Be(SimulcastLayerSelector.Paused, "resuming waits like an up-switch");
        selector.Select(300_000, Audio, Layers, 6 * Second).Should().Be(0);
    }

    [Fact]
    public void Layers_the_publisher_stopped_sending_are_skipped()
    {
        var selector = new SimulcastLayerSelector();
        selector.Select(3_000_000, Audio, Layers, 0).Should().Be(2);
        selector.Select(3_000_000, Audio, [150_000, 500_000, 0], Second).Should().Be(1, "the top layer stopped (the publisher's uplink is poor)");
        selector.Select(3_000_000, Audio, [0, 0, 0], 2 * Second).Should().Be(SimulcastLayerSelector.Paused);
    }

    [Fact]
    public void Selecting_allocates_nothing()
    {
        var selector = new SimulcastLayerSelector();
        long t = 0;
        SteadyStateAllocations.Measure(() => selector.Select(400_000 + (t % 7) * 100_000, Audio, Layers, t += 10_000)).Should().Be(0);
    }
}
