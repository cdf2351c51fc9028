using Grains.Media;
using MediaPlane.Contracts;

namespace Grains.Tests.Rooms.Speakers;

/// <summary>Which audio-level samples a node reports to the rooms.</summary>
public class AudioLevelReportsTests
{
    [Fact]
    public void Changes_and_a_once_a_second_refresh_of_speakers_are_reported_silence_costs_nothing()
    {
        var reports = new AudioLevelReports();
        AudioLevelSample Alice(int level) => new("s-alice", "a-0", level);
        AudioLevelSample Bob(int level) => new("s-bob", "b-0", level);

        reports.Select([Alice(-127), Bob(-20)], 0).Should().Equal(Bob(-20));
        reports.Select([Alice(-127), Bob(-21)], 250).Should().BeEmpty("1 dB is no change");
        reports.Select([Alice(-30), Bob(-21)], 500).Should().Equal(Alice(-30));
        reports.Select([Alice(-31), Bob(-22)], 1000).Should().Equal(new[] { Bob(-22) }, "bob's refresh is due, alice's is not");
        reports.Select([Alice(-127), Bob(-22)], 1250).Should().Equal(new[] { Alice(-127) }, "falling silent is a change");
        reports.Select([Alice(-127), Bob(-60)], 1500).Should().Equal(Bob(-60));
        reports.Select([Alice(-127), Bob(-60)], 5000).Should().BeEmpty("nobody speaks: no refresh");
    }

    [Fact]
    public void A_stream_that_leaves_and_comes_back_is_reported_anew()
    {
        var reports = new AudioLevelReports();
        reports.Select([new("s", "a-0", -20)], 0).Should().HaveCount(1);
        reports.Select([], 250).Should().BeEmpty();
        reports.Select([new("s", "a-0", -20)], 500).Should().HaveCount(1);
    }
}
