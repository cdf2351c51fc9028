using MediaPlane.Congestion;

namespace MediaPlane.Tests.Congestion;

/// <summary>
/// A subscriber's estimate turned into layer requests. The simulcast consumer is not in this branch yet, so the tracks
/// here are a small recording implementation of <see cref="ISimulcastLayers"/>: it only reports bitrates and records
/// what was asked of it.
/// </summary>
public class SubscriberLayerControlTests
{
    private const long Second = 1_000_000;
    private const long Audio = SubscriberLayerControl.AudioReserveBitsPerSecond;

    private sealed class RecordingLayers(params long[] bitrates) : ISimulcastLayers
    {
        public List<int> Requested { get; } = [];

        public int CopyLayerBitrates(Span<long> bitsPerSecond)
        {
            bitrates.CopyTo(bitsPerSecond);
            return bitrates.Length;
        }

        public void RequestLayer(int layer) => Requested.Add(layer);
    }

    // Chromium's three layers for 640x480: 150 k, 500 k, 1.5 M.
    private static RecordingLayers Camera() => new(150_000, 500_000, 1_500_000);

    [Fact]
    public void The_first_estimate_picks_the_highest_layer_that_fits_after_audio_and_asks_once()
    {
        var camera = Camera();
        var control = new SubscriberLayerControl([camera], audioTracks: 1);

        control.Update(2_000_000, 0).Should().Be(0, "on the top layer there is nothing to probe for");
        control.Update(2_000_000, Second / 10);

        camera.Requested.Should().Equal(2);
    }

    [Fact]
    public void A_constrained_estimate_drops_to_the_lowest_layer_at_once_and_keeps_it_rather_than_pausing()
    {
        var camera = Camera();
        var control = new SubscriberLayerControl([camera], audioTracks: 1);
        control.Update(2_000_000, 0);

        control.Update(300_000, Second / 10);
        control.Update(60_000, 2 * Second / 10);

        camera.Requested.Should().Equal(2, 0);
        control.RequestedLayer(0).Should().Be(0, "video keeps its lowest layer even below what it needs");
    }

    [Fact]
    public void Moving_up_waits_for_the_hold_time_and_asks_for_a_probe_while_the_estimate_is_short()
    {
        var camera = Camera();
        var control = new SubscriberLayerControl([camera], audioTracks: 1);
        control.Update(300_000, 0).Should().Be(575_000 + Audio, "the middle layer with its 15 % margin, plus audio");

        // Room for the middle layer with margin: no probe needed, but up only after 3 s without a break.
        for (long t = Second; t < 4 * Second; t += Second / 10)
            control.Update(700_000, t).Should().Be(0);
        camera.Requested.Should().Equal(0);
        control.Update(700_000, 4 * Second);

        camera.Requested.Should().Equal(0, 1);
    }

    [Fact]
    public void Two_video_tracks_share_what_audio_leaves()
    {
        var first = Camera();
        var second = Camera();
        var control = new SubscriberLayerControl([first, second], audioTracks: 2);

        control.Update(1_200_000 + 2 * Audio, 0);

        first.Requested.Should().Equal(1);
        second.Requested.Should().Equal(1);
    }

    [Fact]
    public void Audio_only_subscribers_have_nothing_to_choose()
    {
        new SubscriberLayerControl([], audioTracks: 1).Update(30_000, 0).Should().Be(0);
    }
}
