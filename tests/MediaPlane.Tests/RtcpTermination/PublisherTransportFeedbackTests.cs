using System.Buffers.Binary;
using MediaPlane.Rtcp;
using MediaPlane.RtcpTermination;
using MediaPlane.Rtp;

namespace MediaPlane.Tests.RtcpTermination;

/// <summary>transport-cc feedback to a publisher: what its receive loop records and sends, and who owns it.</summary>
public class PublisherTransportFeedbackTests
{
    private const int ExtensionId = 3;
    private readonly object _loopA = new(), _loopB = new();

    // RTP with one RFC 8285 one-byte element: the transport-wide sequence number (2 bytes), then a pad byte.
    private static byte[] Packet(ushort transportSequence, bool withExtension = true)
    {
        var packet = new byte[withExtension ? 12 + 8 + 20 : 12 + 20];
        packet[0] = (byte)(withExtension ? 0x90 : 0x80);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), transportSequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234);
        if (withExtension)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(12), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), 1);
            packet[16] = ExtensionId << 4 | 1;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(17), transportSequence);
        }
        return packet;
    }

    private static bool Feed(PublisherTransportFeedback feedback, object loop, ushort sequence, long ms, List<byte[]> sent, bool withExtension = true)
    {
        var bytes = Packet(sequence, withExtension);
        RtpPacketReader.TryParse(bytes, out var header, out _).Should().BeTrue();
        var buffer = new byte[1500];
        if (!feedback.OnRtp(header, loop, ms, ms * 1000, buffer, out int written))
            return false;
        sent.Add(buffer[..written]);
        return true;
    }

    // The transport-cc packets of the compounds sent: (base sequence, received sequence numbers).
    private static List<(ushort Base, List<ushort> Received)> Parse(List<byte[]> sent)
    {
        var result = new List<(ushort, List<ushort>)>();
        foreach (var compound in sent)
        {
            var reader = new RtcpCompoundReader(compound);
            reader.TryReadNext(out var first).Should().BeTrue();
            first.PacketType.Should().Be(RtcpPacketType.ReceiverReport, "RFC 3550 §6.1: a compound starts with a report");
            reader.TryReadNext(out var packet).Should().BeTrue();
            RtcpTransportFeedback.TryParse(packet.Bytes, out var feedback, out _).Should().BeTrue();
            feedback.SenderSsrc.Should().Be(RtcpTerminator.ServerSsrc);
            var results = new TwccPacketResult[feedback.PacketStatusCount];
            feedback.TryGetPacketResults(results, out int count).Should().BeTrue();
            result.Add((feedback.BaseSequenceNumber, results[..count].Where(r => r.Status != TwccStatus.NotReceived).Select(r => r.SequenceNumber).ToList()));
        }
        return result;
    }

    [Fact]
    public void Every_packet_of_the_transport_is_reported_about_every_50_ms()
    {
        var feedback = new PublisherTransportFeedback(ExtensionId, mediaSsrc: 0x1234);
        var sent = new List<byte[]>();

        for (ushort seq = 100; seq < 140; seq++)
        {
            if (seq == 120)
                continue; // lost
            Feed(feedback, _loopA, seq, ms: 10_000 + (seq - 100) * 5, sent);
        }

        var reports = Parse(sent);
        reports.Count.Should().BeInRange(3, 5, "40 packets 5 ms apart span 200 ms");
        var received = reports.SelectMany(r => r.Received).ToList();
        received.Should().OnlyHaveUniqueItems();
        received.Should().BeEquivalentTo(Enumerable.Range(100, 40).Where(s => s != 120).Select(s => (ushort)s).Take(received.Count));
        received.Should().NotContain(120);
    }

    [Fact]
    public void Another_loop_is_ignored_until_the_owner_has_been_silent_for_a_second()
    {
        var feedback = new PublisherTransportFeedback(ExtensionId, mediaSsrc: 0x1234);
        var sent = new List<byte[]>();
        Feed(feedback, _loopA, 1, ms: 1000, sent).Should().BeTrue("the first packet's feedback is due at once");

        Feed(feedback, _loopB, 2, ms: 1100, sent).Should().BeFalse();
        Feed(feedback, _loopB, 3, ms: 1900, sent).Should().BeFalse("the owner spoke 900 ms ago");
        Feed(feedback, _loopB, 4, ms: 2100, sent).Should().BeTrue("silent owner: loop B takes over and reports");

        var afterTakeOver = Parse(sent)[^1].Received;
        afterTakeOver.Should().Contain(4).And.NotContain([2, 3], "what another loop saw while it did not own the session is not recorded");
        Feed(feedback, _loopA, 5, ms: 2200, sent).Should().BeFalse("loop A lost ownership");
    }

    [Fact]
    public void A_packet_without_the_extension_is_not_recorded()
    {
        var feedback = new PublisherTransportFeedback(ExtensionId, mediaSsrc: 0x1234);
        var sent = new List<byte[]>();

        Feed(feedback, _loopA, 7, ms: 1000, sent, withExtension: false).Should().BeFalse();
        sent.Should().BeEmpty();
    }
}
