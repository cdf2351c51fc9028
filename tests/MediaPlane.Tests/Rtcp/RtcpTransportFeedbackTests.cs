using MediaPlane.Rtcp;

namespace MediaPlane.Tests.Rtcp;

public class RtcpTransportFeedbackTests
{
    // base 100, 3 statuses: received (+1 tick), lost, received (+4 ticks); reference time 1 (64 ms),
    // fb count 5; one two-bit status vector chunk 0xD100, deltas 01 04.
    internal static readonly byte[] Small = Hex.Parse("8f cd 00 05 00 00 00 01 00 00 00 02 00 64 00 03 00 00 01 05 d1 00 01 04");

    [Fact]
    public void Parses_a_known_feedback()
    {
        RtcpTransportFeedback.TryParse(Small, out var fb, out var error).Should().BeTrue(error.ToString());
        fb.SenderSsrc.Should().Be(1u);
        fb.MediaSsrc.Should().Be(2u);
        fb.BaseSequenceNumber.Should().Be(100);
        fb.PacketStatusCount.Should().Be(3);
        fb.ReferenceTime.Should().Be(1);
        fb.FeedbackPacketCount.Should().Be(5);
        fb.ReceivedCount.Should().Be(2);
        var results = new TwccPacketResult[3];
        fb.TryGetPacketResults(results, out int count).Should().BeTrue();
        count.Should().Be(3);
        results.Should().Equal(
            new TwccPacketResult(100, TwccStatus.ReceivedSmallDelta, 64_250),
            new TwccPacketResult(101, TwccStatus.NotReceived, 0),
            new TwccPacketResult(102, TwccStatus.ReceivedSmallDelta, 65_250));
    }

    [Fact]
    public void Writer_reproduces_the_known_feedback()
    {
        var buffer = new byte[64];
        RtcpTransportFeedback.TryWrite(buffer, 1, 2, 5, [new TwccArrival(100, 64_250), new TwccArrival(102, 65_250)], out int written).Should().BeTrue();
        buffer.AsSpan(0, written).ToArray().Should().Equal(Small);
    }

    [Fact]
    public void Run_length_one_bit_two_bit_chunks_large_and_negative_deltas_round_trip()
    {
        var arrivals = new List<TwccArrival>();
        long t = 10_000_000;
        ushort seq = 65500; // wraps past 65535
        for (int i = 0; i < 300; i++, seq++)
        {
            if (i is >= 20 and < 60)
                continue; // a long loss run -> run-length chunk
            if (i % 17 == 3)
                continue; // scattered losses -> vectors
            t += i switch
            {
                100 => 100_000,   // large positive delta
                101 => -2_000,    // negative (reordered arrival) -> large
                _ => 1_000,
            };
            arrivals.Add(new TwccArrival(seq, t));
        }
        var buffer = new byte[1500];
        RtcpTransportFeedback.TryWrite(buffer, 9, 8, 200, arrivals.ToArray(), out int written).Should().BeTrue();
        (written % 4).Should().Be(0);
        RtcpTransportFeedback.TryParse(buffer.AsSpan(0, written), out var fb, out var error).Should().BeTrue(error.ToString());
        fb.BaseSequenceNumber.Should().Be(65500);
        fb.PacketStatusCount.Should().Be(300);
        fb.ReceivedCount.Should().Be(arrivals.Count);
        fb.FeedbackPacketCount.Should().Be(200);
        var results = new TwccPacketResult[300];
        fb.TryGetPacketResults(results, out int count).Should().BeTrue();
        count.Should().Be(300);
        var received = results.Where(r => r.Status != TwccStatus.NotReceived).ToList();
        received.Select(r => r.SequenceNumber).Should().Equal(arrivals.Select(a => a.SequenceNumber));
        // Rebase on the 64 ms reference grid (the 24-bit field wraps nothing here).
        for (int i = 0; i < received.Count; i++)
            received[i].ReceiveTimeMicros.Should().BeCloseTo(arrivals[i].ArrivalTimeMicros, 125);
        results.Count(r => r.Status == TwccStatus.ReceivedLargeDelta).Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void Writer_refuses_gaps_beyond_a_16_bit_delta()
    {
        var buffer = new byte[64];
        RtcpTransportFeedback.TryWrite(buffer, 1, 2, 0, [new TwccArrival(1, 0), new TwccArrival(2, 9_000_000)], out _).Should().BeFalse();
    }

    [Fact]
    public void Chunks_running_out_or_reserved_status_is_malformed()
    {
        var truncated = (byte[])Small.Clone();
        truncated[15] = 0x20; // status count 32 > what the chunk covers
        RtcpTransportFeedback.TryParse(truncated, out _, out var error).Should().BeFalse();
        error.Should().Be(RtcpParseError.Malformed);
        var reserved = (byte[])Small.Clone();
        reserved[20] = 0x60; // run-length chunk with status 3
        RtcpTransportFeedback.TryParse(reserved, out _, out error).Should().BeFalse();
        error.Should().Be(RtcpParseError.Malformed);
    }
}
