using System.Collections.Concurrent;
using System.Text;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using MediaPlane.Routing;
using MediaPlane.Contracts;
using Rtc.TestClient;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

/// <summary>
/// A simulcast publisher (three layers, no SSRC signalled: each learned from its RID extension) and subscribers that
/// forward one layer each, switching at the target layer's keyframe with continuous numbers.
/// </summary>
public sealed class SimulcastForwardingTests : IDisposable
{
    private const int RidExtension = 10;
    private static readonly string[] Rids = ["q", "h", "f"];
    private static readonly uint[] TimestampBases = [1_000_000_000, 5, 3_000_000_000]; // unrelated clocks per layer

    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private static readonly PublishedTrack Simulcast = new("cam", MediaKind.Video, 0, null, 96, null, 90000, "VP8")
    {
        SimulcastRids = Rids,
        RidExtensionId = RidExtension,
    };

    private static uint SsrcOf(int layer) => 100u * (uint)(layer + 1);

    /// <summary>One VP8 packet of <paramref name="layer"/>, frame <paramref name="frame"/>: its payload names both.</summary>
    private static byte[] Packet(int layer, int frame, bool keyframe, bool withRid = true, uint? ssrc = null)
    {
        var buffer = new byte[200];
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(true, 96, (ushort)(1000 * layer + frame), TimestampBases[layer] + (uint)frame * 3000, ssrc ?? SsrcOf(layer),
            extensionForm: RtpExtensionForm.OneByte).Should().BeTrue();
        if (withRid)
            writer.TryAddExtension(RidExtension, Encoding.ASCII.GetBytes(Rids[layer])).Should().BeTrue();
        // RFC 7741: S=1, PID=0, then the payload header's P bit (0: keyframe), then our markers.
        writer.TryFinish([0x10, (byte)(keyframe ? 0x00 : 0x01), (byte)layer, (byte)frame], 0, out int written).Should().BeTrue();
        return buffer[..written];
    }

    private sealed record Received(ushort Sequence, uint Timestamp, int Layer, int Frame);

    private static ConcurrentQueue<Received> Collect(WebRtcClientTransport client)
    {
        var received = new ConcurrentQueue<Received>();
        client.OnRtp = p =>
        {
            if (RtpPacketReader.TryParse(p, out var r, out _) && r.Ssrc == 5001)
                received.Enqueue(new Received(r.SequenceNumber, r.Timestamp, r.Payload[2], r.Payload[3]));
        };
        return received;
    }

    private static ConcurrentQueue<uint> PliLog(WebRtcClientTransport publisher)
    {
        var plis = new ConcurrentQueue<uint>();
        publisher.OnRtcp = compound =>
        {
            var reader = new RtcpCompoundReader(compound);
            while (reader.TryReadNext(out var packet))
            {
                if (packet.PacketType == RtcpPacketType.PayloadSpecificFeedback && RtcpPictureLossIndication.TryParse(packet.Bytes, out var pli, out _))
                    plis.Enqueue(pli.MediaSsrc);
            }
        };
        return plis;
    }

    /// <summary>Frames <paramref name="from"/> to <paramref name="to"/> on every layer, paced like a 50 fps camera.</summary>
    private static async Task SendFramesAsync(WebRtcClientTransport publisher, int from, int to, Func<int, int, bool> keyframe)
    {
        for (int frame = from; frame <= to; frame++)
        {
            for (int layer = 0; layer < 3; layer++)
                publisher.SendRtp(Packet(layer, frame, keyframe(layer, frame)));
            await Task.Delay(20);
        }
    }

    private async Task<(WebRtcClientTransport Publisher, WebRtcClientTransport Viewer)> ConnectAsync(string? preferredRid = null)
    {
        var publisher = await _node.ConnectAsync("pub", [Simulcast], []);
        var viewer = await _node.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 96, null) { PreferredRid = preferredRid }]);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        return (publisher, viewer);
    }

    [Fact]
    public async Task Layers_are_learned_from_their_rids_and_a_new_subscriber_gets_the_highest_from_its_keyframe()
    {
        var (publisher, viewer) = await ConnectAsync();
        using var ownedPublisher = publisher;
        using var ownedViewer = viewer;
        var received = Collect(viewer);

        await SendFramesAsync(publisher, 0, 9, (layer, frame) => frame == 3);
        await Poll.UntilAsync(() => received.Count >= 7);

        received.Select(r => (r.Layer, r.Frame)).Should().Equal(Enumerable.Range(3, 7).Select(f => (2, f)));
        received.Select(r => r.Sequence).Should().Equal(Enumerable.Range(2003, 7).Select(i => (ushort)i));
        _node.Server.TryGetSession("pub", out var session).Should().BeTrue();
        session!.ProducersBySsrc.Keys.Should().BeEquivalentTo(new[] { 100u, 200u, 300u });
        var subscription = _node.Server.SnapshotSubscriptions("viewer").Single();
        subscription.CurrentRid.Should().Be("f");
        subscription.Layers.Select(l => l.Rid).Should().Equal(Rids);
        _node.Server.SnapshotSessions().Single(s => s.SessionId == "pub").Published.Single().PacketsReceived.Should().Be(30);
    }

    [Fact]
    public async Task A_subscriber_asking_for_a_layer_starts_on_it()
    {
        var (publisher, viewer) = await ConnectAsync(preferredRid: "h");
        using var ownedPublisher = publisher;
        using var ownedViewer = viewer;
        var received = Collect(viewer);

        await SendFramesAsync(publisher, 0, 5, (layer, frame) => frame == 0);
        await Poll.UntilAsync(() => received.Count >= 6);

        received.Should().OnlyContain(r => r.Layer == 1);
    }

    [Fact]
    public async Task Switching_down_and_up_waits_for_the_targets_keyframe_and_keeps_numbers_continuous()
    {
        var (publisher, viewer) = await ConnectAsync();
        using var ownedPublisher = publisher;
        using var ownedViewer = viewer;
        var received = Collect(viewer);
        var plis = PliLog(publisher);
        await SendFramesAsync(publisher, 0, 4, (layer, frame) => frame == 0);
        await Poll.UntilAsync(() => received.Count >= 5);

        _node.Server.RequestLayer("viewer", "q").Should().Be(1);
        await SendFramesAsync(publisher, 5, 9, (layer, frame) => false);
        await Poll.UntilAsync(() => received.Count >= 10);
        // One PLI on the lowest layer's SSRC per request (the switcher's unit tests pin the count; a retry comes a second later).
        await Poll.UntilAsync(() => plis.Contains(SsrcOf(0)));
        plis.Count(ssrc => ssrc == SsrcOf(0)).Should().BeInRange(1, SimulcastLimits.MaxKeyframeRequestsPerSwitch);
        await SendFramesAsync(publisher, 10, 17, (layer, frame) => layer == 0 && frame == 10);

        _node.Server.RequestLayer("viewer", null).Should().Be(1); // back to the highest
        await SendFramesAsync(publisher, 18, 19, (layer, frame) => false);
        await SendFramesAsync(publisher, 20, 22, (layer, frame) => layer == 2 && frame == 20);
        await Poll.UntilAsync(() => received.Count >= 24);

        var list = received.ToList();
        list.Select(r => (r.Layer, r.Frame)).Should().Equal(
            Enumerable.Range(0, 10).Select(f => (2, f))       // the highest, until the lowest layer's keyframe
                .Concat(Enumerable.Range(10, 11).Select(f => (0, f))) // frame 20's lowest layer is sent before its highest
                .Concat(Enumerable.Range(20, 3).Select(f => (2, f))));
        for (int i = 1; i < list.Count; i++)
        {
            list[i].Sequence.Should().Be((ushort)(list[i - 1].Sequence + 1), "no gap nor repeat at packet {0}", i);
            ((int)(list[i].Timestamp - list[i - 1].Timestamp)).Should().BePositive("the clock never runs back (packet {0})", i);
        }
        _node.Server.SnapshotSubscriptions("viewer").Single().CurrentRid.Should().Be("f");
    }

    [Fact]
    public async Task A_session_probes_a_bounded_number_of_unknown_ssrcs()
    {
        var (publisher, viewer) = await ConnectAsync();
        using var ownedPublisher = publisher;
        using var ownedViewer = viewer;
        for (uint ssrc = 9000; ssrc < 9000 + SimulcastLimits.MaxProbedSsrcsPerSession; ssrc++)
            publisher.SendRtp(Packet(0, 1, false, withRid: false, ssrc: ssrc));
        await Poll.UntilAsync(() => _node.Server.Counters.RtpUnknownSsrc >= SimulcastLimits.MaxProbedSsrcsPerSession);

        // Past the bound even a well-named layer is not looked into.
        publisher.SendRtp(Packet(0, 2, true));
        await Poll.UntilAsync(() => _node.Server.Counters.RtpUnknownSsrc >= SimulcastLimits.MaxProbedSsrcsPerSession + 1);

        _node.Server.TryGetSession("pub", out var session).Should().BeTrue();
        session!.SsrcLearner!.ProbedCount.Should().Be(SimulcastLimits.MaxProbedSsrcsPerSession);
        session.ProducersBySsrc.Should().BeEmpty();
    }

    [Fact]
    public async Task A_switching_consumer_allocates_nothing_per_packet()
    {
        var (publisher, viewer) = await ConnectAsync();
        using var ownedPublisher = publisher;
        using var ownedViewer = viewer;
        _node.Server.TryGetProducer("cam", out var root).Should().BeTrue();
        var layers = root!.Simulcast!.Layers;
        for (int i = 0; i < layers.Length; i++)
            layers[i].MediaSsrc = SsrcOf(i);
        _node.Server.TryGetSession("viewer", out var subscriber).Should().BeTrue();
        var consumer = subscriber!.ConsumersBySsrc[5001];
        var packets = Enumerable.Range(0, 3).Select(layer => Enumerable.Range(0, 10)
            .Select(frame => Packet(layer, frame, keyframe: frame % 5 == 0)).ToArray()).ToArray();
        int call = 0;

        void Once()
        {
            int frame = call % 10, layer = call / 10 % 3;
            if (call % 30 == 0)
                consumer.RequestLayer(call / 30 % 3); // a new target every 30 packets: a switch at its next keyframe
            var packet = packets[layer][frame];
            RtpPacketReader.TryParse(packet, out var header, out _);
            layers[layer].OnRtp(packet, header, Environment.TickCount64);
            call++;
        }

        long bytes = SteadyStateAllocations.Measure(Once, callsPerRound: 3000, warmUpCalls: 600);

        bytes.Should().BeLessThan(3000, "under a byte per packet: nothing per packet");
        consumer.PacketsSent.Should().BeGreaterThan(0);
    }
}
