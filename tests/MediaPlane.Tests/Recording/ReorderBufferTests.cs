using MediaPlane.Recording.JitterBuffer;
using MediaPlane.Recording.Timing;

namespace MediaPlane.Tests.Recording;

public sealed class ReorderBufferTests
{
    private static byte[] Packet(ushort sequence) => [(byte)(sequence >> 8), (byte)sequence];

    private static List<ushort> ReleaseAll(ReorderBuffer buffer, long now)
    {
        var released = new List<ushort>();
        while (buffer.TryRelease(now, out var packet))
            released.Add((ushort)((packet[0] << 8) | packet[1]));
        return released;
    }

    [Fact]
    public void Reordered_packets_come_out_in_sequence_order_across_the_16_bit_wrap()
    {
        var buffer = new ReorderBuffer(16, maxWaitMicros: 100_000);
        foreach (ushort sequence in new ushort[] { 65534, 0, 65535, 2, 1 })
            buffer.Insert(Packet(sequence), sequence, 0);
        ReleaseAll(buffer, 0).Should().Equal(65534, 65535, 0, 1, 2);
        buffer.LostPackets.Should().Be(0);
    }

    [Fact]
    public void A_missing_packet_is_reported_for_NACK_then_waited_for_until_the_deadline()
    {
        var buffer = new ReorderBuffer(16, maxWaitMicros: 100_000);
        buffer.Insert(Packet(10), 10, 0);
        buffer.Insert(Packet(13), 13, 1_000);
        ReleaseAll(buffer, 1_000).Should().Equal(10);

        Span<ushort> missing = stackalloc ushort[8];
        int count = buffer.CollectMissing(missing);
        missing[..count].ToArray().Should().Equal(11, 12);

        buffer.Insert(Packet(11), 11, 50_000); // repaired by a retransmission
        ReleaseAll(buffer, 50_000).Should().Equal(11);
        ReleaseAll(buffer, 100_999).Should().BeEmpty("13 has waited less than 100 ms for 12");
        ReleaseAll(buffer, 101_000).Should().Equal(13);
        buffer.LostPackets.Should().Be(1);

        buffer.Insert(Packet(12), 12, 102_000).Should().Be(InsertResult.LateOrDuplicate);
        buffer.Insert(Packet(13), 13, 102_000).Should().Be(InsertResult.LateOrDuplicate);
    }

    [Fact]
    public void A_ring_half_full_behind_a_hole_gives_up_without_waiting()
    {
        var buffer = new ReorderBuffer(8, maxWaitMicros: 10_000_000);
        buffer.Insert(Packet(0), 0, 0);
        for (ushort sequence = 2; sequence <= 4; sequence++)
            buffer.Insert(Packet(sequence), sequence, 0);
        ReleaseAll(buffer, 0).Should().Equal(0);
        buffer.Insert(Packet(5), 5, 0);
        ReleaseAll(buffer, 0).Should().Equal(2, 3, 4, 5);
        buffer.LostPackets.Should().Be(1);
    }

    [Fact]
    public void Sender_report_clock_maps_RTP_time_through_the_latest_report_and_falls_back_to_arrival()
    {
        var clock = new SenderReportClock(90000);
        long first = clock.OnPacket(uint.MaxValue - 8999, arrivalUnixMicros: 5_000_000);
        clock.ToUnixMicros(first).Should().Be(5_000_000);
        long wrapped = clock.OnPacket(9000, arrivalUnixMicros: 5_300_000); // 18,000 ticks later, across the wrap
        (wrapped - first).Should().Be(18000);
        clock.ToUnixMicros(wrapped).Should().Be(5_200_000);

        // NTP for Unix 1,000,000,000.5 s names RTP time 9000.
        ulong ntp = ((1_000_000_000UL + 2_208_988_800UL) << 32) | 0x8000_0000UL;
        clock.OnSenderReport(ntp, 9000);
        clock.HasSenderReport.Should().BeTrue();
        clock.ToUnixMicros(wrapped).Should().Be(1_000_000_000_500_000);
        clock.ToUnixMicros(wrapped + 90000).Should().Be(1_000_000_001_500_000);
    }
}
