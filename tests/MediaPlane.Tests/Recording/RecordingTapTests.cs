using MediaPlane.Contracts;
using MediaPlane.Recording.Live;
using MediaPlane.Routing;
using MediaPlane.WebRtc;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// The receive loop's side of a recording: a tap on the producer copies each packet into a preallocated ring, in
/// order, allocating nothing; a ring the writer does not empty drops (and counts) instead of blocking the loop.
/// </summary>
public sealed class RecordingTapTests
{
    private static readonly PublishedTrack Video = new("cam", MediaKind.Video, 1111, null, 96, null, 90000, "VP8");

    [Fact]
    public void Packets_reach_the_writer_in_order_and_a_full_ring_drops_and_counts()
    {
        var producer = new Producer(Video, publisher: null);
        var tap = new RecordingTap(producer, trackIndex: 0, ringCapacity: 8);
        producer.AddRecordingTap(tap);
        for (byte i = 0; i < 10; i++)
            producer.RecordingTaps[0].Forward([i, 1, 2, 3]);

        tap.Ring.Dropped.Should().Be(2, "eight slots, ten packets");
        var seen = new List<byte>();
        while (tap.Ring.TryPeek(out var packet, out long arrival))
        {
            packet.Length.Should().Be(4);
            arrival.Should().BeGreaterThan(0);
            seen.Add(packet[0]);
            tap.Ring.Release();
        }
        seen.Should().Equal(0, 1, 2, 3, 4, 5, 6, 7);
        producer.RemoveRecordingTap(tap);
        producer.RecordingTaps.Should().BeEmpty();
    }

    [Fact]
    public void Forwarding_to_a_tap_allocates_nothing()
    {
        var tap = new RecordingTap(new Producer(Video, publisher: null), trackIndex: 0, ringCapacity: 64);
        var packet = new byte[1200];
        for (int i = 0; i < 100; i++)
            Cycle(tap, packet); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++)
            Cycle(tap, packet);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        tap.Ring.Dropped.Should().Be(0);
    }

    private static void Cycle(RecordingTap tap, byte[] packet)
    {
        tap.Forward(packet);
        if (!tap.Ring.TryPeek(out _, out _))
            throw new InvalidOperationException("the packet did not reach the ring"); // no assertion objects in the measured loop
        tap.Ring.Release();
    }
}
