using Grains.Media;
using MediaPlane.Contracts;
using MediaPlane.WebRtc;

namespace Grains.Tests.Media;

/// <summary>The node's packet and byte totals only grow: a session that closes keeps what was last read of it.</summary>
public sealed class MediaTrafficTotalsTests
{
    private static MediaSessionSnapshot Publisher(string id, long packets, long bytes, long lost) =>
        new(id, [new PublishedTrackSnapshot(id + "-0", packets, bytes, lost)], 0, 0);

    private static MediaSessionSnapshot Viewer(string id, long packets, long bytes) => new(id, [], packets, bytes);

    [Fact]
    public void Totals_add_open_sessions_and_keep_closed_ones_at_their_last_read()
    {
        var totals = new MediaTrafficTotals();

        totals.Read([Publisher("a", 100, 10_000, 2), Viewer("b", 90, 9_000)])
            .Should().Be(new MediaTrafficTotals.Totals(100, 10_000, 2, 90, 9_000));

        // b closed after its last read; a went on; c opened.
        totals.Read([Publisher("a", 150, 15_000, 3), Viewer("c", 5, 500)])
            .Should().Be(new MediaTrafficTotals.Totals(150, 15_000, 3, 95, 9_500));

        // Everyone left: nothing is lost and nothing counts twice.
        totals.Read([]).Should().Be(new MediaTrafficTotals.Totals(150, 15_000, 3, 95, 9_500));
        totals.Read([]).Should().Be(new MediaTrafficTotals.Totals(150, 15_000, 3, 95, 9_500));
    }

    [Fact]
    public void A_negative_loss_estimate_does_not_lower_the_total()
    {
        // RFC 3550 §6.4.1: duplicates make the cumulative loss negative; a counter must not go down.
        new MediaTrafficTotals().Read([Publisher("a", 10, 100, -4)]).PacketsLost.Should().Be(0);
    }
}
