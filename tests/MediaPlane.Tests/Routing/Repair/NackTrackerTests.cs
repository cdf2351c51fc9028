using MediaPlane.Routing.Repair;

namespace MediaPlane.Tests.Routing.Repair;

/// <summary>The gap detector and NACK schedule toward publishers: wrap, reordering, retries, giving up.</summary>
public class NackTrackerTests
{
    private static ushort[] Due(NackTracker tracker, long nowMs)
    {
        var due = new ushort[NackTracker.MaxMissing];
        return due[..tracker.CollectDue(nowMs, due)];
    }

    [Fact]
    public void A_gap_across_the_wrap_is_nacked_at_once_in_order()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(65533, 0).Should().Be(PacketArrival.New);
        tracker.OnPacket(1, 0).Should().Be(PacketArrival.New);

        tracker.IsDue(0).Should().BeTrue("a new gap is NACKed with the packet that shows it");
        Due(tracker, 0).Should().Equal(65534, 65535, 0);
        tracker.MissingCount.Should().Be(3);
    }

    [Fact]
    public void A_reordered_packet_leaves_the_missing_list_and_is_not_nacked_again()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(10, 0);
        tracker.OnPacket(13, 0);
        tracker.OnPacket(11, 2).Should().Be(PacketArrival.Recovered);
        tracker.OnPacket(11, 3).Should().Be(PacketArrival.Old, "a duplicate is not missing");
        tracker.OnPacket(9, 3).Should().Be(PacketArrival.Old, "older than the first packet: never missing");

        Due(tracker, 5).Should().Equal(12);
    }

    [Fact]
    public void Retries_wait_a_round_trip_stop_after_the_bound_and_then_ask_for_a_keyframe()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(1, 0);
        tracker.OnPacket(3, 0);
        int sent = 0;
        long now = 0;
        for (; now <= NackTracker.MaxAgeMs && tracker.MissingCount > 0; now += 10)
        {
            if (!tracker.IsDue(now))
                continue;
            var due = Due(tracker, now);
            if (due.Length > 0)
            {
                due.Should().Equal(2);
                sent++;
            }
        }

        sent.Should().Be(NackTracker.MaxRetries);
        tracker.MissingCount.Should().Be(0, "given up after the last retry had its round trip");
        tracker.GivenUp.Should().Be(1);
        tracker.TakeKeyframeNeeded().Should().BeTrue();
        tracker.TakeKeyframeNeeded().Should().BeFalse("asked once");
        now.Should().BeGreaterThanOrEqualTo(NackTracker.MaxRetries * NackTracker.DefaultRoundTripMs);
        tracker.OnPacket(2, now).Should().Be(PacketArrival.Old, "a packet given up on is not let in late");
    }

    [Fact]
    public void A_second_nack_comes_one_round_trip_after_the_first()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(1, 0);
        tracker.OnPacket(3, 0);
        Due(tracker, 0).Should().Equal(2);
        Due(tracker, NackTracker.DefaultRoundTripMs - 1).Should().BeEmpty();
        Due(tracker, NackTracker.DefaultRoundTripMs).Should().Equal(2);
    }

    [Fact]
    public void The_round_trip_is_learnt_from_retransmissions_answering_a_single_nack()
    {
        var tracker = new NackTracker();
        ushort sequence = 0;
        long now = 0;
        tracker.OnPacket(sequence, now);
        for (int i = 0; i < 40; i++)
        {
            sequence += 2; // every other packet lost
            tracker.OnPacket(sequence, now);
            Due(tracker, now).Should().Equal((ushort)(sequence - 1));
            now += 30;
            tracker.OnPacket((ushort)(sequence - 1), now, isRetransmission: true).Should().Be(PacketArrival.Recovered);
        }

        tracker.RoundTripMs.Should().BeInRange(29, 35, "30 ms from NACK to RTX, smoothed from the 100 ms default");
    }

    [Fact]
    public void A_gap_longer_than_the_list_is_given_up_at_once()
    {
        var tracker = new NackTracker();
        tracker.OnPacket(100, 0);
        tracker.OnPacket(110, 0);
        tracker.OnPacket((ushort)(111 + NackTracker.MaxMissing + 1), 0);

        tracker.MissingCount.Should().Be(0);
        tracker.GivenUp.Should().Be(9 + NackTracker.MaxMissing + 1);
        tracker.TakeKeyframeNeeded().Should().BeTrue();
    }

    [Fact]
    public void The_missing_list_is_bounded_the_oldest_go_first()
    {
        var tracker = new NackTracker();
        ushort sequence = 0;
        tracker.OnPacket(sequence, 0);
        for (int i = 0; i < NackTracker.MaxMissing + 10; i++)
        {
            sequence += 2;
            tracker.OnPacket(sequence, 0);
        }

        tracker.MissingCount.Should().Be(NackTracker.MaxMissing);
        tracker.GivenUp.Should().Be(10);
        Due(tracker, 0)[0].Should().Be(21, "packets 1, 3, ..., 19 were dropped from the list");
    }

    [Fact]
    public void Tracking_and_scheduling_allocate_nothing()
    {
        var tracker = new NackTracker();
        var due = new ushort[64];
        ushort sequence = 0;
        long now = 0;
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            sequence += (ushort)(sequence % 7 == 0 ? 3 : 1);
            now += 5;
            tracker.OnPacket(sequence, now);
            if (tracker.IsDue(now))
                tracker.CollectDue(now, due);
        });

        allocated.Should().Be(0);
    }
}
