using System.Collections.Concurrent;
using MediaPlane.Rtp;
using MediaPlane.Contracts;
using Rtc.TestClient;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

/// <summary>
/// Loss repair toward a publisher, end to end over loopback: packets the publisher "loses on the wire" are NACKed by
/// the node, the publisher answers with RTX, and the subscriber gets every packet once; the repaired packets also
/// answer the subscriber's own NACKs; a packet that never comes is given up for a keyframe request.
/// </summary>
public sealed class PublisherRepairTests : IDisposable
{
    private const uint MediaSsrc = 1111, RtxSsrc = 1112;
    private const byte MediaPt = 96, RtxPt = 97;
    private static readonly PublishedTrack Video = new("cam", MediaKind.Video, MediaSsrc, RtxSsrc, MediaPt, RtxPt, 90000, "VP8");
    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private async Task<(RtxSender Publisher, ConcurrentQueue<(ushort Seq, byte[] Payload)> Received, WebRtcClientTransport Viewer, IDisposable Clients)> ConnectAsync()
    {
        var publisher = await _node.ConnectAsync("pub", [Video], []);
        var viewer = await _node.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 100, null)]);
        var sender = new RtxSender(publisher, MediaSsrc, RtxSsrc, RtxPt);
        publisher.OnRtcp = sender.OnRtcp;
        var received = new ConcurrentQueue<(ushort, byte[])>();
        viewer.OnRtp = p =>
        {
            if (RtpPacketReader.TryParse(p, out var r, out _) && r.Ssrc == 5001)
                received.Enqueue((r.SequenceNumber, r.Payload.ToArray()));
        };
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        return (sender, received, viewer, new Both(publisher, viewer));
    }

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }

    [Fact]
    public async Task Packets_lost_on_the_publishers_uplink_reach_the_subscriber_once_through_nack_and_rtx()
    {
        var (publisher, received, _, clients) = await ConnectAsync();
        using var _ = clients;
        var lost = Enumerable.Range(1, 200).Where(s => s % 10 == 5 || s is 40 or 41 or 42).Select(s => (ushort)s).ToHashSet();
        for (ushort seq = 1; seq <= 200; seq++)
        {
            publisher.Send(MediaNodeHarness.RtpPacket(MediaSsrc, MediaPt, seq, seq * 3000u, 300), loseOnTheWay: lost.Contains(seq));
            if (seq % 20 == 0)
                await Task.Delay(5); // a paced sender, as an encoder is
        }

        await Poll.UntilAsync(() => received.Count >= 200, TimeSpan.FromSeconds(10));
        await Task.Delay(200); // a duplicate would come now

        received.Select(r => r.Seq).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Enumerable.Range(1, 200).Select(s => (ushort)s));
        foreach (var (seq, payload) in received.Where(r => lost.Contains(r.Seq)))
            payload.Should().Equal(MediaNodeHarness.Payload(seq, 300), $"packet {seq} is the original, unwrapped from RTX");
        publisher.Nacked.Distinct().Should().BeEquivalentTo(lost, "only the lost packets are NACKed");
        _node.Server.Counters.RtxRecovered.Should().Be(lost.Count);
        _node.Server.Counters.NacksSentToPublishers.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_retransmission_of_a_packet_not_missing_is_not_forwarded_again()
    {
        var (publisher, received, _, clients) = await ConnectAsync();
        using var _ = clients;
        for (ushort seq = 1; seq <= 20; seq++)
            publisher.Send(MediaNodeHarness.RtpPacket(MediaSsrc, MediaPt, seq, seq * 3000u, 100));
        await Poll.UntilAsync(() => received.Count >= 20);

        publisher.Resend(7).Should().BeTrue();
        await Poll.UntilAsync(() => _node.Server.Counters.RtxDiscarded >= 1);
        publisher.Send(MediaNodeHarness.RtpPacket(MediaSsrc, MediaPt, 21, 21 * 3000u, 100));
        await Poll.UntilAsync(() => received.Count >= 21);

        received.Select(r => r.Seq).Should().OnlyHaveUniqueItems("RTX probing and duplicates stay at the node");
    }

    [Fact]
    public async Task A_subscribers_nack_is_answered_from_the_repaired_stream()
    {
        var (publisher, received, viewer, clients) = await ConnectAsync();
        using var _ = clients;
        int viewerDrops = 0;
        // The repaired packet is lost again on the viewer's downlink (before SRTP, so the viewer may take it once more).
        viewer.DropIncomingRtp = seq => seq == 12 && Interlocked.Increment(ref viewerDrops) == 1;
        for (ushort seq = 1; seq <= 30; seq++)
            publisher.Send(MediaNodeHarness.RtpPacket(MediaSsrc, MediaPt, seq, seq * 3000u, 100), loseOnTheWay: seq == 12);
        await Poll.UntilAsync(() => received.Count >= 29 && viewerDrops == 1);

        viewer.SendRtcp(RtcpFeedbackTests.Nack(5001, 12));
        await Poll.UntilAsync(() => received.Any(r => r.Seq == 12));

        received.Single(r => r.Seq == 12).Payload.Should().Equal(MediaNodeHarness.Payload(12, 100), "the repaired packet, from the node's buffer");
        _node.Server.Counters.NacksAnswered.Should().Be(1);
    }

    [Fact]
    public async Task A_packet_the_publisher_never_resends_is_given_up_for_a_keyframe_request()
    {
        var (publisher, received, _, clients) = await ConnectAsync();
        using var _ = clients;
        publisher.Unanswered = lostForGood => lostForGood == 5;
        // Keyframe requests for the new subscriber come first: let them pass the 500 ms rate limit.
        await Task.Delay(600);
        int before = publisher.KeyframeRequests;

        ushort seq = 1;
        await Poll.UntilAsync(async () =>
        {
            publisher.Send(MediaNodeHarness.RtpPacket(MediaSsrc, MediaPt, seq, seq * 3000u, 100), loseOnTheWay: seq == 5);
            seq++;
            await Task.Delay(10);
            return _node.Server.Counters.RepairGaveUp >= 1 && publisher.KeyframeRequests > before;
        }, TimeSpan.FromSeconds(10));

        publisher.Nacked.Count(s => s == 5).Should().BeInRange(2, global::MediaPlane.Routing.Repair.NackTracker.MaxRetries, "retried, within the bound");
        received.Should().NotContain(r => r.Seq == 5);
    }
}
