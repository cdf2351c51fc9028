using MediaPlane.Rtcp;
using MediaPlane.RtcpTermination;
using MediaPlane.Rtp;

namespace MediaPlane.Tests.RtcpTermination;

/// <summary>REMB to a publisher without transport-cc: what its receive loop sends, and when.</summary>
public class PublisherRembTests
{
    private const int AbsSendTimeId = 2;
    private readonly object _loop = new();

    private static byte[] Packet(ushort sequence, long sendMicros, int payload = 1000)
    {
        var buffer = new byte[12 + 8 + payload];
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(false, 96, sequence, sequence * 3000u, 0x1111, extensionForm: RtpExtensionForm.OneByte);
        Span<byte> sendTime = stackalloc byte[3];
        AbsSendTimeExtension.TryWrite(sendTime, AbsSendTimeExtension.FromMicros(sendMicros));
        writer.TryAddExtension(AbsSendTimeId, sendTime);
        writer.TryFinish(new byte[payload], 0, out int written);
        return buffer[..written];
    }

    /// <summary>A publisher at 800 kbit/s on a free path for <paramref name="seconds"/>: the REMBs sent (µs, bitrate, SSRCs).</summary>
    private List<(long AtMicros, ulong Bitrate, uint[] Ssrcs)> Run(PublisherRemb remb, double seconds)
    {
        var sent = new List<(long, ulong, uint[])>();
        var buffer = new byte[1500];
        long interval = 1000 * 8_000_000L / 800_000; // 10 ms per 1,000-byte packet
        ushort sequence = 0;
        for (long now = 0; now < seconds * 1_000_000; now += interval)
        {
            var bytes = Packet(sequence++, now);
            RtpPacketReader.TryParse(bytes, out var header, out _).Should().BeTrue();
            if (!remb.OnRtp(header, _loop, now / 1000, now + 20_000, buffer, out int written))
                continue;
            var reader = new RtcpCompoundReader(buffer.AsSpan(0, written));
            reader.TryReadNext(out var first).Should().BeTrue();
            first.PacketType.Should().Be(RtcpPacketType.ReceiverReport, "RFC 3550 §6.1: a compound starts with a report");
            reader.TryReadNext(out var second).Should().BeTrue();
            RtcpRemb.TryParse(second.Bytes, out var parsed, out _).Should().BeTrue();
            var ssrcs = new uint[parsed.SsrcCount];
            for (int i = 0; i < ssrcs.Length; i++)
                ssrcs[i] = parsed.GetSsrc(i);
            sent.Add((now, parsed.Bitrate, ssrcs));
        }
        return sent;
    }

    [Fact]
    public void A_steady_publisher_gets_a_remb_about_once_a_second_naming_its_streams()
    {
        var remb = new PublisherRemb(AbsSendTimeId, [0x1111, 0x2222]);

        var sent = Run(remb, 10);

        sent.Count.Should().BeInRange(9, 12, "once a second (and at once on a drop, which a free path has none of)");
        sent.Should().OnlyContain(r => r.Ssrcs.SequenceEqual(new uint[] { 0x1111, 0x2222 }));
        sent[^1].Bitrate.Should().BeGreaterThan(500_000, "a free path: the estimate stays near or above what arrives");
        remb.LastSentBitsPerSecond.Should().Be((long)sent[^1].Bitrate);
    }

    [Fact]
    public void Packets_without_abs_send_time_feed_nothing()
    {
        var remb = new PublisherRemb(absSendTimeExtensionId: 9, [0x1111]);

        Run(remb, 2).Should().BeEmpty();
    }
}
