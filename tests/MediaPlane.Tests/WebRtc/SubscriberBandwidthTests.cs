using System.Collections.Concurrent;
using System.Diagnostics;
using MediaPlane.Contracts;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using MediaPlane.WebRtc;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

/// <summary>
/// What a subscriber receives in its header extensions, and its send-side estimate, through a real node: a C# client
/// publishes, another subscribes with its own extension ids and answers with transport-cc feedback it builds from
/// the arrivals it saw.
/// </summary>
public sealed class SubscriberBandwidthTests : IDisposable
{
    private const int PublisherAudioLevelId = 1;
    private const int PublisherTransportSequenceId = 3;
    private const int PublisherRidId = 10;
    private const int SubscriberMidId = 4;
    private const int SubscriberAbsSendTimeId = 2;
    private const int SubscriberTransportSequenceId = 5;
    private const int SubscriberAudioLevelId = 12;

    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private static readonly PublishedTrack Microphone = new("mic", MediaKind.Audio, 2222, null, 111, null, 48000, "opus",
    [
        new(HeaderExtensionIds.AudioLevelUri, PublisherAudioLevelId),
        new(HeaderExtensionIds.TransportSequenceNumberUri, PublisherTransportSequenceId),
        new("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", PublisherRidId),
    ]);

    private static SubscribedTrack Listening(bool transportCc) => new("mic", 6001, null, 111, null, Mid: "7",
        Extensions:
        [
            new(HeaderExtensionIds.MidUri, SubscriberMidId),
            new(HeaderExtensionIds.AbsSendTimeUri, SubscriberAbsSendTimeId),
            new(HeaderExtensionIds.AudioLevelUri, SubscriberAudioLevelId),
            .. transportCc ? [new NegotiatedHeaderExtension(HeaderExtensionIds.TransportSequenceNumberUri, SubscriberTransportSequenceId)] : Array.Empty<NegotiatedHeaderExtension>(),
        ]);

    private static readonly byte[] MidSeven = [(byte)'7'];

    private static byte[] AudioPacket(ushort sequence, byte level)
    {
        var buffer = new byte[300];
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(false, 111, sequence, sequence * 960u, 2222, extensionForm: RtpExtensionForm.OneByte).Should().BeTrue();
        writer.TryAddExtension(PublisherAudioLevelId, [level]).Should().BeTrue();
        writer.TryAddExtension(PublisherTransportSequenceId, [0x77, 0x77]).Should().BeTrue();
        writer.TryAddExtension(PublisherRidId, "h"u8).Should().BeTrue();
        writer.TryFinish(MediaNodeHarness.Payload(sequence, 160), 0, out int written).Should().BeTrue();
        return buffer[..written];
    }

    private sealed record Received(ushort Sequence, byte[] Mid, byte AudioLevel, ushort TransportSequence, bool HasAbsSendTime, bool HasRid,
        byte[] Payload, long ArrivalMicros);

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    private static void Capture(Rtc.TestClient.WebRtcClientTransport viewer, ConcurrentQueue<Received> received) => viewer.OnRtp = p =>
    {
        if (!RtpPacketReader.TryParse(p, out var r, out _))
            return;
        r.TryFindExtension(SubscriberMidId, out ReadOnlySpan<byte> mid);
        r.TryFindExtension(SubscriberAudioLevelId, out ReadOnlySpan<byte> level);
        TransportSequenceNumberExtension.TryRead(r, SubscriberTransportSequenceId, out ushort transportSequence);
        received.Enqueue(new Received(r.SequenceNumber, mid.ToArray(), level.IsEmpty ? (byte)0 : level[0], transportSequence,
            r.TryFindExtension(SubscriberAbsSendTimeId, out ReadOnlySpan<byte> abs) && abs.Length == 3,
            r.TryFindExtension(PublisherRidId, out ReadOnlySpan<byte> _), r.Payload.ToArray(), Clock.Elapsed.Ticks / 10));
    };

    [Fact]
    public async Task A_subscriber_gets_its_own_mid_ids_and_transport_wide_numbers_and_the_publishers_audio_level()
    {
        using var publisher = await _node.ConnectAsync("pub", [Microphone], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [Listening(transportCc: true)]);
        var received = new ConcurrentQueue<Received>();
        Capture(viewer, received);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);

        for (ushort seq = 1; seq <= 20; seq++)
            publisher.SendRtp(AudioPacket(seq, (byte)(0x80 | seq)));
        await Poll.UntilAsync(() => received.Count >= 20);

        var packets = received.OrderBy(r => r.Sequence).ToList();
        packets.Should().OnlyContain(r => Enumerable.SequenceEqual(r.Mid, MidSeven) && r.HasAbsSendTime && !r.HasRid);
        packets.Select(r => r.AudioLevel).Should().Equal(Enumerable.Range(1, 20).Select(i => (byte)(0x80 | i)));
        packets.Select(r => r.Payload).Should().BeEquivalentTo(Enumerable.Range(1, 20).Select(i => MediaNodeHarness.Payload((ushort)i, 160)),
            o => o.WithStrictOrdering());
        var transportSequences = packets.Select(r => (int)r.TransportSequence).ToList();
        transportSequences.Should().Equal(Enumerable.Range(transportSequences[0], 20), "numbered per subscriber, one by one");
        _node.Server.GetSubscriberBandwidth("viewer")!.Value.PacketsNumbered.Should().Be(20);
    }

    [Fact]
    public async Task Without_transport_cc_the_subscriber_gets_no_numbers_and_has_no_estimate()
    {
        using var publisher = await _node.ConnectAsync("pub", [Microphone], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [Listening(transportCc: false)]);
        var received = new ConcurrentQueue<Received>();
        Capture(viewer, received);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);

        for (ushort seq = 1; seq <= 5; seq++)
            publisher.SendRtp(AudioPacket(seq, 0x90));
        await Poll.UntilAsync(() => received.Count >= 5);

        received.Should().OnlyContain(r => r.TransportSequence == 0 && r.AudioLevel == 0x90 && r.Mid.Length == 1);
        _node.Server.GetSubscriberBandwidth("viewer").Should().BeNull();
    }

    [Fact]
    public async Task A_subscribers_transport_cc_feedback_reporting_loss_lowers_its_estimate()
    {
        using var publisher = await _node.ConnectAsync("pub", [Microphone], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [Listening(transportCc: true)]);
        var received = new ConcurrentQueue<Received>();
        Capture(viewer, received);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        long initial = _node.Server.GetSubscriberBandwidth("viewer")!.Value.EstimatedBitsPerSecond;

        // Rounds of 40 packets; the viewer reports every third one lost (33 % > the 10 % that cuts the rate).
        ushort seq = 1;
        for (int round = 0; round < 4; round++)
        {
            int before = received.Count;
            for (int i = 0; i < 40; i++, seq++)
                publisher.SendRtp(AudioPacket(seq, 0x90));
            await Poll.UntilAsync(() => received.Count >= before + 40);
            var arrivals = received.Skip(before).OrderBy(r => r.TransportSequence)
                .Where(r => r.TransportSequence % 3 != 0)
                .Select(r => new TwccArrival(r.TransportSequence, r.ArrivalMicros)).ToArray();
            var first = received.Skip(before).Min(r => r.TransportSequence);
            viewer.SendRtcp(Feedback(first, 40, (byte)round, arrivals));
            await Poll.UntilAsync(() => _node.Server.GetSubscriberBandwidth("viewer")!.Value.FeedbackPackets > round);
            await Task.Delay(350); // the loss-based half cuts at most once per 300 ms + RTT
        }

        var estimate = _node.Server.GetSubscriberBandwidth("viewer")!.Value;
        estimate.FeedbackPackets.Should().Be(4);
        estimate.EstimatedBitsPerSecond.Should().BeLessThan(initial * 9 / 10, "a third of the packets were reported lost");
    }

    [Fact]
    public async Task Rewriting_numbering_and_recording_a_packet_and_handling_feedback_allocate_nothing()
    {
        using var publisher = await _node.ConnectAsync("pub", [Microphone], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [Listening(transportCc: true)]);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        _node.Server.TryGetProducer("mic", out var producer).Should().BeTrue();
        _node.Server.TryGetSession("viewer", out var session).Should().BeTrue();
        var packet = AudioPacket(1, 0x90);
        var feedback = Feedback(0, 20, 0, [.. Enumerable.Range(0, 20).Select(i => new TwccArrival((ushort)i, 1_000_000 + i * 20_000L))]);

        long perPacket = SteadyStateAllocations.Measure(() =>
        {
            RtpPacketReader.TryParse(packet, out var header, out _);
            producer!.OnRtp(packet, header, Environment.TickCount64); // fan-out on this thread: rewrite, number, record, protect, send
        });
        long perFeedback = SteadyStateAllocations.Measure(() => session!.OnTransportFeedback(feedback.AsSpan(RtcpHeaderLength)), callsPerRound: 100);

        perPacket.Should().Be(0);
        perFeedback.Should().Be(0);
        _node.Server.GetSubscriberBandwidth("viewer")!.Value.PacketsNumbered.Should().BeGreaterThan(1000);
    }

    // The empty receiver report in front of each feedback compound built below.
    private const int RtcpHeaderLength = 8;

    private static byte[] Feedback(ushort baseSequence, int statusCount, byte count, TwccArrival[] arrivals)
    {
        var buffer = new byte[1200];
        RtcpReceiverReport.TryWrite(buffer, 77, [], out int rr).Should().BeTrue();
        RtcpTransportFeedback.TryWrite(buffer.AsSpan(rr), 77, 6001, baseSequence, statusCount, count, arrivals, out int written).Should().BeTrue();
        return buffer[..(rr + written)];
    }
}
