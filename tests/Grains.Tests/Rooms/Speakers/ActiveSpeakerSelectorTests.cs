using Grains.Rooms.Speakers;

namespace Grains.Tests.Rooms.Speakers;

/// <summary>Dominant-speaker choice: threshold, hysteresis, rate limit, staleness.</summary>
public class ActiveSpeakerSelectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 4, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void The_loudest_speaker_becomes_dominant_and_noise_does_not()
    {
        var selector = new ActiveSpeakerSelector();
        selector.Report("carol", "c-0", -65, At(0)); // a quiet room's noise floor
        selector.TryChange(At(0), out _).Should().BeFalse("nobody speaks");

        selector.Report("alice", "a-0", -30, At(0.1));
        selector.Report("bob", "b-0", -20, At(0.1));
        selector.TryChange(At(0.1), out var speakers).Should().BeTrue();

        selector.Dominant.Should().Be("bob");
        speakers.Select(s => (s.Identity, s.LevelDbov)).Should().Equal(("bob", -20), ("alice", -30));
    }

    [Fact]
    public void A_slightly_louder_speaker_does_not_take_over_a_clearly_louder_one_does()
    {
        var selector = new ActiveSpeakerSelector();
        selector.Report("alice", "a-0", -30, At(0));
        selector.TryChange(At(0), out _).Should().BeTrue();

        selector.Report("bob", "b-0", -30 + ActiveSpeakerSelector.HysteresisDb - 1, At(1));
        selector.TryChange(At(1), out _).Should().BeFalse("within the hysteresis");
        selector.Dominant.Should().Be("alice");

        selector.Report("bob", "b-0", -30 + ActiveSpeakerSelector.HysteresisDb, At(2));
        selector.TryChange(At(2), out var speakers).Should().BeTrue();
        selector.Dominant.Should().Be("bob");
        speakers[0].Identity.Should().Be("bob");
    }

    [Fact]
    public void Changes_come_at_most_twice_a_second_and_a_held_back_change_goes_out_later()
    {
        var selector = new ActiveSpeakerSelector();
        selector.Report("alice", "a-0", -20, At(0));
        selector.TryChange(At(0), out _).Should().BeTrue();

        selector.Report("alice", "a-0", -60, At(0.1));
        selector.Report("bob", "b-0", -20, At(0.1));
        selector.TryChange(At(0.1), out _).Should().BeFalse("100 ms after the last change");
        selector.Dominant.Should().Be("alice");

        selector.TryChange(At(0.1) + ActiveSpeakerSelector.MinChangeInterval, out _).Should().BeTrue();
        selector.Dominant.Should().Be("bob");

        int changes = 0;
        for (double t = 1; t < 5; t += 0.05) // two speakers alternating every 50 ms
        {
            bool aliceLoud = (int)(t * 20) % 2 == 0;
            selector.Report("alice", "a-0", aliceLoud ? -10 : -45, At(t));
            selector.Report("bob", "b-0", aliceLoud ? -45 : -10, At(t));
            if (selector.TryChange(At(t), out _))
                changes++;
        }
        changes.Should().BeInRange(1, 8, "4 s at no more than 2 changes/s");
    }

    [Fact]
    public void A_speaker_who_stops_reporting_goes_silent_and_the_room_can_fall_quiet()
    {
        var selector = new ActiveSpeakerSelector();
        selector.Report("alice", "a-0", -20, At(0));
        selector.TryChange(At(0), out _).Should().BeTrue();

        selector.TryChange(At(0) + ActiveSpeakerSelector.StaleAfter + TimeSpan.FromMilliseconds(1), out var speakers).Should().BeTrue();
        selector.Dominant.Should().BeNull();
        speakers.Should().BeEmpty();
    }

    [Fact]
    public void An_identity_with_two_audio_streams_counts_its_loudest_once()
    {
        var selector = new ActiveSpeakerSelector();
        selector.Report("alice", "a-0", -40, At(0));
        selector.Report("alice", "a-1", -25, At(0));

        selector.Speakers(At(0)).Should().ContainSingle().Which.LevelDbov.Should().Be(-25);
    }
}
