using System.Buffers.Binary;
using System.Collections.Concurrent;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;
using Rtc.TestSupport;

namespace MediaPlane.Tests.WebRtc;

public sealed class RtcpFeedbackTests : IDisposable
{
    private readonly MediaNodeHarness _node = new();

    public void Dispose() => _node.Dispose();

    private static readonly PublishedTrack Video = new("cam", MediaKind.Video, 1111, null, 96, null, 90000, "VP8");

    private sealed class RtcpLog
    {
        public readonly ConcurrentQueue<uint> PliMediaSsrcs = new();
        public readonly ConcurrentQueue<RtcpReportBlock> ReportBlocks = new();
        public readonly ConcurrentQueue<(uint Ssrc, uint Packets)> SenderReports = new();

        public void Attach(WebRtcClientTransport client) => client.OnRtcp = compound =>
        {
            var reader = new RtcpCompoundReader(compound);
            while (reader.TryReadNext(out var packet))
            {
                if (packet.PacketType == RtcpPacketType.PayloadSpecificFeedback && RtcpPictureLossIndication.TryParse(packet.Bytes, out var pli, out _))
                    PliMediaSsrcs.Enqueue(pli.MediaSsrc);
                else if (packet.PacketType == RtcpPacketType.ReceiverReport && RtcpReceiverReport.TryParse(packet.Bytes, out var rr, out _))
                    for (int i = 0; i < rr.ReportCount; i++) ReportBlocks.Enqueue(rr.GetReportBlock(i));
                else if (packet.PacketType == RtcpPacketType.SenderReport && RtcpSenderReport.TryParse(packet.Bytes, out var sr, out _))
                    SenderReports.Enqueue((sr.SenderSsrc, sr.PacketCount));
            }
        };
    }

    private static byte[] Pli(uint mediaSsrc)
    {
        var buffer = new byte[64];
        RtcpReceiverReport.TryWrite(buffer, 77, [], out int rr).Should().BeTrue();
        RtcpPictureLossIndication.TryWrite(buffer.AsSpan(rr), 77, mediaSsrc, out int pli).Should().BeTrue();
        return buffer[..(rr + pli)];
    }

    internal static byte[] Nack(uint mediaSsrc, params ushort[] lost)
    {
        var buffer = new byte[128];
        RtcpReceiverReport.TryWrite(buffer, 77, [], out int rr).Should().BeTrue();
        RtcpGenericNack.TryWrite(buffer.AsSpan(rr), 77, mediaSsrc, lost, out int nack).Should().BeTrue();
        return buffer[..(rr + nack)];
    }

    [Fact]
    public async Task A_new_subscriber_gets_a_keyframe_request_sent_and_later_PLIs_are_rate_limited()
    {
        var publisherLog = new RtcpLog();
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        publisherLog.Attach(publisher);
        using var viewer = await _node.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 96, null)]);

        await Poll.UntilAsync(() => publisherLog.PliMediaSsrcs.Count >= 1);
        await Task.Delay(700); // past the rate limit
        viewer.SendRtcp(Pli(5001));
        viewer.SendRtcp(Pli(5001));
        viewer.SendRtcp(Pli(5001));
        await Task.Delay(300);

        publisherLog.PliMediaSsrcs.Should().HaveCount(2).And.OnlyContain(ssrc => ssrc == 1111, "the publisher hears its own SSRC, once per interval");
    }

    [Fact]
    public async Task Nacks_are_answered_from_the_buffer_without_asking_the_publisher()
    {
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 100, null)]);
        var received = new ConcurrentQueue<(uint Ssrc, ushort Seq, byte[] Payload)>();
        viewer.OnRtp = p => { if (RtpPacketReader.TryParse(p, out var r, out _)) received.Enqueue((r.Ssrc, r.SequenceNumber, r.Payload.ToArray())); };
        var lostOnce = new ConcurrentDictionary<ushort, bool>(new[] { 10, 11, 40 }.ToDictionary(s => (ushort)s, _ => true));
        viewer.DropIncomingRtp = seq => lostOnce.TryRemove(seq, out _);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        for (ushort seq = 1; seq <= 50; seq++)
            publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u, 200));
        await Poll.UntilAsync(() => received.Count >= 47);

        viewer.SendRtcp(Nack(5001, 10, 11, 40));
        await Poll.UntilAsync(() => received.Count >= 50);

        var resent = received.Skip(47).ToList();
        resent.Select(r => r.Seq).Should().BeEquivalentTo(new ushort[] { 10, 11, 40 });
        resent.Single(r => r.Seq == 40).Payload.Should().Equal(MediaNodeHarness.Payload(40, 200));
        _node.Server.Counters.NacksAnswered.Should().Be(3);
    }

    [Fact]
    public async Task With_rtx_negotiated_retransmissions_carry_the_original_sequence_number()
    {
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        using var viewer = await _node.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, 5002, 100, 101)]);
        var rtx = new ConcurrentQueue<(byte Pt, ushort Osn, byte[] Payload)>();
        viewer.OnRtp = p =>
        {
            if (RtpPacketReader.TryParse(p, out var r, out _) && r.Ssrc == 5002)
                rtx.Enqueue((r.PayloadType, BinaryPrimitives.ReadUInt16BigEndian(r.Payload), r.Payload[2..].ToArray()));
        };
        await Poll.UntilAsync(() => _node.Connected.Count == 2);
        for (ushort seq = 1; seq <= 20; seq++)
            publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u, 100));
        await Poll.UntilAsync(() => _node.Server.Counters.RtpReceived >= 20);

        viewer.SendRtcp(Nack(5001, 7));
        await Poll.UntilAsync(() => !rtx.IsEmpty);

        rtx.Single().Should().BeEquivalentTo((Pt: (byte)101, Osn: (ushort)7, Payload: MediaNodeHarness.Payload(7, 100)));
    }

    [Fact]
    public async Task Publishers_get_receiver_reports_and_subscribers_sender_reports()
    {
        var publisherLog = new RtcpLog();
        var viewerLog = new RtcpLog();
        using var publisher = await _node.ConnectAsync("pub", [Video], []);
        publisherLog.Attach(publisher);
        using var viewer = await _node.ConnectAsync("viewer", [], [new SubscribedTrack("cam", 5001, null, 96, null)]);
        viewerLog.Attach(viewer);
        await Poll.UntilAsync(() => _node.Connected.Count == 2);

        // 30 packets with 5 missing: the report must show the loss.
        for (ushort seq = 100; seq < 135; seq++)
            if (seq % 7 != 3)
                publisher.SendRtp(MediaNodeHarness.RtpPacket(1111, 96, seq, seq * 3000u, 100));
        await Poll.UntilAsync(() => !publisherLog.ReportBlocks.IsEmpty && !viewerLog.SenderReports.IsEmpty, TimeSpan.FromSeconds(5));

        var block = publisherLog.ReportBlocks.Last();
        block.Ssrc.Should().Be(1111u);
        (block.ExtendedHighestSequenceNumber & 0xFFFF).Should().Be(134u);
        block.CumulativeLost.Should().Be(5);
        viewerLog.SenderReports.Last().Ssrc.Should().Be(5001u);
        viewerLog.SenderReports.Last().Packets.Should().Be(30u);
    }
}
