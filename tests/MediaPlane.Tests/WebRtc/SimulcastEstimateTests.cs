using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using MediaPlane.Contracts;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using Rtc.TestClient;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

/// <summary>
/// The subscriber's send-side estimate chooses its simulcast layer through the real consumer (no recording stand-in):
/// a simulcast publisher through a real node, a subscriber that negotiated transport-cc and reports heavy loss.
/// </summary>
public sealed class SimulcastEstimateTests : IDisposable
{
    private const int RidExtension = 10;
    private const int TransportSequenceId = 5;
    private static readonly string[] Rids = ["q", "h", "f"];
    // Per layer: packets per frame and payload bytes each; at 50 fps about 60, 240 and 720 kbit/s.
    private static readonly (int Packets, int Bytes)[] LayerShape = [(1, 150), (1, 600), (2, 900)];

    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private static readonly PublishedTrack Simulcast = new("cam", MediaKind.Video, 0, null, 96, null, 90000, "VP8")
    {
        SimulcastRids = Rids,
        RidExtensionId = RidExtension,
    };

    private static readonly SubscribedTrack Watching = new("cam", 5001, null, 96, null, Mid: "1",
        Extensions: [new(HeaderExtensionIds.TransportSequenceNumberUri, TransportSequenceId), new(HeaderExtensionIds.MidUri, 4)]);

    private sealed record Arrival(int Layer, ushort TransportSequence, long Micros);

    private static byte[] Packet(int layer, ushort sequence, int frame, int part, bool keyframe)
    {
        var buffer = new byte[1200];
        var writer = new RtpPacketWriter(buffer);
        var shape = LayerShape[layer];
        writer.TryBegin(part == shape.Packets - 1, 96, sequence, 7_000u * (uint)(layer + 1) + (uint)frame * 1800, 100u * (uint)(layer + 1),
            extensionForm: RtpExtensionForm.OneByte).Should().BeTrue();
        writer.TryAddExtension(RidExtension, Encoding.ASCII.GetBytes(Rids[layer])).Should().BeTrue();
        // RFC 7741 §4.2: S=1 only on a frame's first packet; the payload header's P bit 0 marks a keyframe.
        var payload = new byte[shape.Bytes];
        payload[0] = (byte)(part == 0 ? 0x10 : 0x00);
        payload[1] = (byte)(keyframe ? 0x00 : 0x01);
        payload[2] = (byte)layer;
        writer.TryFinish(payload, 0, out int written).Should().BeTrue();
        return buffer[..written];
    }

    [Fact]
    public async Task A_low_estimate_moves_a_simulcast_subscriber_from_the_top_layer_to_a_lower_one()
    {
        using var publisher = await _node.ConnectAsync("pub", [Simulcast], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [Watching]);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        var clock = Stopwatch.StartNew();
        var arrivals = new ConcurrentQueue<Arrival>();
        viewer.OnRtp = p =>
        {
            if (RtpPacketReader.TryParse(p, out var r, out _) && r.Ssrc == 5001
                && TransportSequenceNumberExtension.TryRead(r, TransportSequenceId, out ushort seq))
                arrivals.Enqueue(new Arrival(r.Payload[2], seq, clock.Elapsed.Ticks / 10));
        };

        using var stop = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            var sequences = new ushort[3];
            for (int frame = 0; !stop.IsCancellationRequested; frame++)
            {
                for (int layer = 0; layer < 3; layer++)
                {
                    for (int part = 0; part < LayerShape[layer].Packets; part++)
                        publisher.SendRtp(Packet(layer, sequences[layer]++, frame, part, keyframe: frame % 10 == 0));
                }
                await Task.Delay(20);
            }
        });
        try
        {
            await Poll.UntilAsync(() => arrivals.Count(a => a.Layer == 2) >= 20, what: "the top layer forwarded first");
            _node.Server.SnapshotSubscriptions("viewer").Single().CurrentRid.Should().Be("f");
            long initial = _node.Server.GetSubscriberBandwidth("viewer")!.Value.EstimatedBitsPerSecond;

            // Rounds of feedback reporting every other packet lost (50 % > the 10 % that cuts the rate).
            int taken = 0;
            for (byte round = 0; round < 6; round++)
            {
                await Task.Delay(400); // the loss-based half cuts at most once per 300 ms + RTT
                var batch = arrivals.Skip(taken).OrderBy(a => a.TransportSequence).ToArray();
                taken += batch.Length;
                if (batch.Length < 4)
                    continue;
                var reported = batch.Where((a, i) => i % 2 == 0 || i == batch.Length - 1).ToArray();
                viewer.SendRtcp(Feedback(reported, round));
                await Poll.UntilAsync(() => _node.Server.GetSubscriberBandwidth("viewer")!.Value.FeedbackPackets > round);
            }

            _node.Server.GetSubscriberBandwidth("viewer")!.Value.EstimatedBitsPerSecond.Should().BeLessThan(720_000,
                $"half the packets were reported lost (initial {initial})");
            int before = arrivals.Count;
            await Poll.UntilAsync(() => arrivals.Skip(before).Count(a => a.Layer < 2) >= 10, what: "a lower layer forwarded");
            _node.Server.SnapshotSubscriptions("viewer").Single().CurrentRid.Should().BeOneOf("q", "h");
        }
        finally
        {
            stop.Cancel();
            await sending;
        }
    }

    private static byte[] Feedback(Arrival[] received, byte count)
    {
        var buffer = new byte[1200];
        RtcpReceiverReport.TryWrite(buffer, 77, [], out int rr).Should().BeTrue();
        RtcpTransportFeedback.TryWrite(buffer.AsSpan(rr), 77, 5001, count,
            [.. received.Select(a => new TwccArrival(a.TransportSequence, a.Micros))], out int written).Should().BeTrue();
        return buffer[..(rr + written)];
    }
}
