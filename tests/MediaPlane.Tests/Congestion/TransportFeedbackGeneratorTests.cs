using MediaPlane.Congestion;
using MediaPlane.Rtcp;

namespace MediaPlane.Tests.Congestion;

public class TransportFeedbackGeneratorTests
{
    /// <summary>
    /// Checked by hand against draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1. Arrivals: 0xFFFE at
    /// 128.000 ms, 0xFFFF lost, 0x0000 at 129.000 ms, 0x0001 at 200.000 ms.
    /// <code>
    /// AF CD 00 06   V=2, P=1 (padding), FMT=15 | PT=205 | length 6 (28 bytes)
    /// 00 00 00 01   SSRC of packet sender
    /// 0A 0B 0C 0D   SSRC of media source
    /// FF FE 00 04   base sequence number 65534, packet status count 4 (wraps to 0, 1)
    /// 00 00 02 00   reference time 2 (x 64 ms = 128 ms), feedback packet count 0
    /// D1 80         status vector chunk, two-bit symbols (§3.1.4): 01 small, 00 lost, 01 small, 10 large, 000...
    /// 00            recv delta 0 (128.000 - 128 ms reference)
    /// 04            recv delta 4 x 250 µs = 1 ms
    /// 01 1C         large recv delta 284 x 250 µs = 71 ms (above the 63.75 ms a byte holds)
    /// 00 02         padding (RFC 3550 §6.4.1: last byte counts the padding bytes)
    /// </code>
    /// </summary>
    internal static readonly byte[] HandChecked = Hex.Parse("AF CD 00 06 00 00 00 01 0A 0B 0C 0D FF FE 00 04 00 00 02 00 D1 80 00 04 01 1C 00 02");

    [Fact]
    public void Builds_the_hand_checked_vector_with_wrap_loss_and_a_large_delta()
    {
        var generator = new TransportFeedbackGenerator(1, 0x0A0B0C0D);
        generator.OnPacket(0xFFFE, 128_000);
        generator.OnPacket(0x0000, 129_000);
        generator.OnPacket(0x0001, 200_000);
        var buffer = new byte[1500];
        generator.IsFeedbackDue(200_000).Should().BeTrue();
        generator.TryBuildFeedback(200_000, buffer, out int written).Should().BeTrue();
        buffer.AsSpan(0, written).ToArray().Should().Equal(HandChecked);
        generator.TryBuildFeedback(200_000, buffer, out _).Should().BeFalse("everything is reported");
        generator.IsFeedbackDue(300_000).Should().BeFalse();
    }

    [Fact]
    public void Round_trips_reordering_losses_and_wrap_through_the_parser()
    {
        var random = new Random(21);
        var generator = new TransportFeedbackGenerator(7, 8);
        var sent = new Dictionary<int, long>(); // unwrapped sequence -> arrival
        var reported = new Dictionary<int, long?>();
        var buffer = new byte[1500];
        var results = new TwccPacketResult[1024];
        long now = 1_000_000;
        int sequence = 65000; // wraps at 65536
        var delayed = new List<(int Sequence, long Due)>();
        byte expectedCount = 0;
        for (int i = 0; i < 5000; i++, sequence++)
        {
            now += random.Next(200, 3000);
            bool lost = random.Next(100) < 5;
            if (!lost)
            {
                if (random.Next(100) < 3)
                    delayed.Add((sequence, now + random.Next(1000, 80_000))); // arrives late, often after its report
                else
                    Arrive(sequence, now);
            }
            foreach (var late in delayed.Where(d => d.Due <= now).ToList())
            {
                Arrive(late.Sequence, late.Due);
                delayed.Remove(late);
            }
            Report(flush: i == 4999);
        }

        foreach (var (s, arrival) in sent)
        {
            reported.Should().ContainKey(s);
            reported[s].Should().NotBeNull($"packet {s} arrived");
            reported[s]!.Value.Should().BeCloseTo(arrival, 125, "rounded to 250 µs");
        }
        reported.Keys.Except(sent.Keys).Should().OnlyContain(s => reported[s] == null, "only lost packets are reported lost");
        reported.Count(r => r.Value == null).Should().BeGreaterThan(100, "losses are reported");

        void Report(bool flush)
        {
            if (flush)
            {
                foreach (var late in delayed)
                    Arrive(late.Sequence, late.Due);
                delayed.Clear();
            }
            while ((flush || generator.IsFeedbackDue(now)) && generator.TryBuildFeedback(now, buffer, out int written))
            {
                RtcpTransportFeedback.TryParse(buffer.AsSpan(0, written), out var feedback, out var error).Should().BeTrue(error.ToString());
                feedback.FeedbackPacketCount.Should().Be(expectedCount++);
                written.Should().BeLessThanOrEqualTo(1200);
                feedback.TryGetPacketResults(results, out int count).Should().BeTrue();
                int baseUnwrapped = Unwrap(feedback.BaseSequenceNumber, sequence);
                for (int k = 0; k < count; k++)
                {
                    int s = baseUnwrapped + k;
                    if (results[k].Status == TwccStatus.NotReceived)
                        reported.TryAdd(s, null); // a later report may still say received
                    else
                        reported[s] = results[k].ReceiveTimeMicros;
                }
            }
        }

        void Arrive(int s, long at)
        {
            sent[s] = at;
            generator.OnPacket((ushort)s, at);
        }
    }

    private static int Unwrap(ushort value, int near) => near + (short)(value - (ushort)near);

    [Fact]
    public void A_gap_too_long_for_a_16_bit_delta_starts_a_new_packet()
    {
        var generator = new TransportFeedbackGenerator(1, 2);
        generator.OnPacket(10, 1_000_000);
        generator.OnPacket(11, 1_001_000);
        generator.OnPacket(13, 11_000_000); // 10 s later: more than 8.19 s of 250 µs ticks
        var buffer = new byte[1500];
        var results = new TwccPacketResult[16];

        generator.TryBuildFeedback(11_000_000, buffer, out int written).Should().BeTrue();
        RtcpTransportFeedback.TryParse(buffer.AsSpan(0, written), out var first, out _).Should().BeTrue();
        (first.BaseSequenceNumber, first.PacketStatusCount).Should().Be(((ushort)10, 2));

        generator.TryBuildFeedback(11_000_000, buffer, out written).Should().BeTrue();
        RtcpTransportFeedback.TryParse(buffer.AsSpan(0, written), out var second, out _).Should().BeTrue();
        (second.BaseSequenceNumber, second.PacketStatusCount, second.FeedbackPacketCount).Should().Be(((ushort)12, 2, (byte)1));
        second.TryGetPacketResults(results, out _).Should().BeTrue();
        results[0].Status.Should().Be(TwccStatus.NotReceived);
        results[1].ReceiveTimeMicros.Should().Be(11_000_000);
        generator.TryBuildFeedback(11_000_000, buffer, out _).Should().BeFalse();
    }

    [Fact]
    public void Many_packets_split_into_packets_under_the_size_limit()
    {
        var generator = new TransportFeedbackGenerator(1, 2, new TransportFeedbackOptions { MaxPacketBytes = 200 });
        // Alternating small and large (negative) deltas: the worst case for size.
        for (int i = 0; i < 400; i++)
            generator.OnPacket((ushort)i, 1_000_000 + i * 1000 + (i % 2 == 0 ? 70_000 : 0));
        var buffer = new byte[1500];
        int covered = 0, packets = 0;
        while (generator.TryBuildFeedback(0, buffer, out int written))
        {
            written.Should().BeLessThanOrEqualTo(200);
            RtcpTransportFeedback.TryParse(buffer.AsSpan(0, written), out var feedback, out _).Should().BeTrue();
            feedback.BaseSequenceNumber.Should().Be((ushort)covered);
            covered += feedback.PacketStatusCount;
            packets++;
        }
        covered.Should().Be(400);
        packets.Should().BeGreaterThan(3);
    }

    [Fact]
    public void Feedback_is_due_on_the_interval_or_when_a_packet_is_full()
    {
        var generator = new TransportFeedbackGenerator(1, 2, new TransportFeedbackOptions { IntervalMicros = 50_000, MaxStatusesPerPacket = 100 });
        var buffer = new byte[1500];
        generator.IsFeedbackDue(0).Should().BeFalse("nothing recorded");
        generator.OnPacket(1, 0);
        generator.TryBuildFeedback(0, buffer, out _).Should().BeTrue();
        generator.OnPacket(2, 10_000);
        generator.IsFeedbackDue(10_000).Should().BeFalse("10 ms after the last feedback");
        generator.IsFeedbackDue(50_000).Should().BeTrue();
        for (int i = 3; i <= 101; i++)
            generator.OnPacket((ushort)i, 20_000);
        generator.IsFeedbackDue(20_000).Should().BeTrue("a full packet is waiting");
    }

    [Fact]
    public void Memory_stays_bounded_when_feedback_is_never_built()
    {
        var generator = new TransportFeedbackGenerator(1, 2, new TransportFeedbackOptions { Capacity = 1024 });
        for (int i = 0; i < 100_000; i++)
            generator.OnPacket((ushort)i, i * 100L);
        generator.PendingCount.Should().Be(1024);
    }

    [Fact]
    public void Recording_and_building_allocate_nothing()
    {
        var generator = new TransportFeedbackGenerator(1, 2);
        var buffer = new byte[1500];
        int sequence = 0;
        long now = 0;
        long bytes = SteadyStateAllocations.Measure(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                now += 700;
                if (sequence % 13 != 5)
                    generator.OnPacket((ushort)sequence, now);
                sequence++;
            }
            while (generator.TryBuildFeedback(now, buffer, out _))
            {
            }
        });
        bytes.Should().Be(0);
    }
}
