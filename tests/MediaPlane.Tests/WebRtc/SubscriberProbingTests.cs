using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using MediaPlane.Congestion;
using MediaPlane.Contracts;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using MediaPlane.WebRtc;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

/// <summary>
/// Layer choice and probing from a subscriber's feedback, through a real node and C# clients. The consumer's layers are
/// a small recording <see cref="ISimulcastLayers"/> set on a plain track's consumer, to fix the bitrates the probe is
/// measured against (SimulcastEstimateTests drives a real simulcast consumer).
/// </summary>
public sealed class SubscriberProbingTests : IDisposable
{
    private const int TransportSequenceId = 5;
    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private static readonly PublishedTrack Camera = new("cam", MediaKind.Video, 1111, null, 96, null, 90000, "VP8");

    private static readonly SubscribedTrack Watching = new("cam", 5001, 5002, 100, 101, Mid: "1",
        Extensions: [new(HeaderExtensionIds.TransportSequenceNumberUri, TransportSequenceId), new(HeaderExtensionIds.MidUri, 4)]);

    private sealed class RecordingLayers(params long[] bitrates) : ISimulcastLayers
    {
        public ConcurrentQueue<int> Requested { get; } = new();

        public int CopyLayerBitrates(Span<long> bitsPerSecond)
        {
            bitrates.CopyTo(bitsPerSecond);
            return bitrates.Length;
        }

        public void RequestLayer(int layer) => Requested.Enqueue(layer);
    }

    private sealed record Arrival(uint Ssrc, ushort TransportSequence, bool PaddingOnly, long Micros);

    [Fact]
    public async Task Short_of_the_next_layer_the_node_probes_with_padding_on_rtx_and_the_probe_lifts_the_estimate()
    {
        using var publisher = await _node.ConnectAsync("pub", [Camera], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [Watching]);
        var clock = Stopwatch.StartNew();
        var arrivals = new ConcurrentQueue<Arrival>();
        viewer.OnRtp = p =>
        {
            if (RtpPacketReader.TryParse(p, out var r, out _) && TransportSequenceNumberExtension.TryRead(r, TransportSequenceId, out ushort seq))
                arrivals.Enqueue(new Arrival(r.Ssrc, seq, r.HasPadding && r.Payload.IsEmpty && r.PaddingLength == 255, clock.Elapsed.Ticks / 10));
        };
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        _node.Server.TryGetSession("viewer", out var session).Should().BeTrue();
        var layers = new RecordingLayers(150_000, 500_000, 1_500_000);
        session!.ConsumersBySsrc[5001].Layers = layers;

        for (ushort seq = 1; seq <= 30; seq++)
            publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u, 1000));
        await Poll.UntilAsync(() => arrivals.Count >= 30);
        // All received: the first estimate (1 Mbit/s) fits the middle layer; the top one (1.5 Mbit/s + 15 %) needs a probe.
        viewer.SendRtcp(Feedback(arrivals.ToArray(), 0));

        await Poll.UntilAsync(() => arrivals.Count(a => a.PaddingOnly) >= SubscriberAdaptationProbePackets);
        layers.Requested.Should().Equal(1);
        var probe = arrivals.Where(a => a.PaddingOnly).ToArray();
        probe.Should().OnlyContain(a => a.Ssrc == 5002, "padding goes on the RTX stream, never into the media's sequence numbers");
        probe.Select(a => (int)a.TransportSequence).Should().Equal(Enumerable.Range(30, SubscriberAdaptationProbePackets), "numbered after the media");
        long before = _node.Server.GetSubscriberBandwidth("viewer")!.Value.EstimatedBitsPerSecond;

        // Reported 1 ms apart, as a 2.3 Mbit/s link would space 290-byte packets (feedback times have 250 µs steps, so
        // loopback's real spacing, a few µs, would read as no time at all).
        long first = probe.Min(a => a.Micros);
        viewer.SendRtcp(Feedback([.. probe.OrderBy(a => a.TransportSequence).Select((a, i) => a with { Micros = first + i * 1000L })], 1));
        await Poll.UntilAsync(() => _node.Server.GetSubscriberBandwidth("viewer")!.Value.FeedbackPackets >= 2);

        _node.Server.GetSubscriberBandwidth("viewer")!.Value.EstimatedBitsPerSecond.Should().BeGreaterThan(before,
            "a probe that arrived as fast as it was sent shows room above the estimate");
    }

    private const int SubscriberAdaptationProbePackets = 15;

    private static byte[] Feedback(Arrival[] received, byte count)
    {
        var ordered = received.OrderBy(a => a.TransportSequence).ToArray();
        var buffer = new byte[1200];
        RtcpReceiverReport.TryWrite(buffer, 77, [], out int rr).Should().BeTrue();
        RtcpTransportFeedback.TryWrite(buffer.AsSpan(rr), 77, 5001, count,
            [.. ordered.Select(a => new TwccArrival(a.TransportSequence, a.Micros))], out int written).Should().BeTrue();
        return buffer[..(rr + written)];
    }
}
