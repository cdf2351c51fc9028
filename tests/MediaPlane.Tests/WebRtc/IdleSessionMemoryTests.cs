using Rtc.TestSupport;
using MediaPlane.Contracts;
using MediaPlane.Dtls;

namespace MediaPlane.Tests.WebRtc;

/// <summary>Retransmission buffers are allocated by a producer's first packet, not when its session opens.</summary>
public sealed class IdleSessionMemoryTests : IDisposable
{
    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void An_opened_but_idle_session_with_32_video_tracks_pins_no_retransmission_buffer()
    {
        var tracks = Enumerable.Range(0, 32)
            .Select(i => new PublishedTrack($"cam{i}", MediaKind.Video, 1000u + (uint)i, null, 96, null, 90000, "VP8"))
            .ToArray();
        var request = new MediaSessionRequest("idle", "cliidle", [DtlsCertificate.Generate().Fingerprint], DtlsRole.Server, tracks, []);
        _node.Server.Open(new MediaSessionRequest("warm", "cliwarm", request.RemoteFingerprints, DtlsRole.Server, [], [])); // JIT, pools

        long before = GC.GetAllocatedBytesForCurrentThread();
        _node.Server.Open(request);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(1_000_000, "a video buffer is 768 KB; 32 of them at open would be 24 MB");
        for (int i = 0; i < tracks.Length; i++)
        {
            _node.Server.TryGetProducer($"cam{i}", out var producer).Should().BeTrue();
            producer!.Buffer.Should().BeNull();
        }
    }

    [Fact]
    public async Task The_first_packet_allocates_the_buffer_and_nacks_are_answered_from_it()
    {
        var video = new PublishedTrack("cam", MediaKind.Video, 1111, null, 96, null, 90000, "VP8");
        using var publisher = await _node.ConnectAsync("pub", [video], []);
        _node.Server.TryGetProducer("cam", out var producer).Should().BeTrue();
        producer!.Buffer.Should().BeNull();

        await Poll.UntilAsync(() => _node.Connected.Contains("pub"));
        publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, 1, 3000, 200));
        // The buffer is written on the producer's loop: wait until it holds the packet.
        await Poll.UntilAsync(() => producer.Buffer is { } buffer && buffer.TryGet(1, out _));

        producer.Buffer.Should().NotBeNull();
        producer.Buffer!.Capacity.Should().Be(512);
        producer.Buffer.TryGet(1, out var stored).Should().BeTrue();
        stored.Length.Should().Be(MediaNodeHarness.RtpPacket(1111, 96, 1, 3000, 200).Length);
    }
}
