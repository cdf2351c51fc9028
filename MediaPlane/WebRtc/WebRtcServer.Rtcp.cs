using MediaPlane.Routing;
using MediaPlane.Rtcp;

namespace MediaPlane.WebRtc;

// RTCP: subscribers' feedback reaches publishers or is answered here; we report to both sides.
public sealed partial class WebRtcServer
{
    /// <summary>Our sender SSRC in the feedback and receiver reports we originate (RFC 4585 §6.1 "packet sender").</summary>
    private const uint ServerSsrc = 0x5346_5531; // "SFU1"
    private const int MaxNackedPerPacket = 256;
    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private void OnRtcp(WebRtcSession session, ReadOnlySpan<byte> compound)
    {
        long now = Environment.TickCount64;
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out var packet))
        {
            switch (packet.PacketType)
            {
                case RtcpPacketType.PayloadSpecificFeedback when packet.Count == RtcpPictureLossIndication.Format:
                    if (RtcpPictureLossIndication.TryParse(packet.Bytes, out var pli, out _))
                        RequestKeyframe(session, pli.MediaSsrc, now);
                    break;
                case RtcpPacketType.PayloadSpecificFeedback when packet.Count == RtcpFullIntraRequest.Format:
                    if (RtcpFullIntraRequest.TryParse(packet.Bytes, out var fir, out _))
                    {
                        // RFC 5104 §4.3.1: the media SSRC field is unused; each FCI entry names a stream.
                        for (int i = 0; i < fir.EntryCount; i++)
                        {
                            fir.GetEntry(i, out uint ssrc, out _);
                            RequestKeyframe(session, ssrc, now);
                        }
                    }
                    break;
                case RtcpPacketType.TransportFeedback when packet.Count == RtcpGenericNack.Format:
                    if (RtcpGenericNack.TryParse(packet.Bytes, out var nack, out _))
                        AnswerNack(session, nack);
                    break;
                case RtcpPacketType.SenderReport:
                    if (RtcpSenderReport.TryParse(packet.Bytes, out var report, out _)
                        && session.ProducersBySsrc.TryGetValue(report.SenderSsrc, out var producer))
                    {
                        // RFC 3550 §6.4.1: LSR is the middle 32 bits of the SR's NTP timestamp.
                        producer.Statistics.LastSenderReport = (uint)(report.NtpTimestamp >> 16);
                        producer.Statistics.LastSenderReportTicks = now;
                    }
                    break;
            }
        }
        if (reader.Error != RtcpParseError.None)
            Interlocked.Increment(ref Counters._rtcpMalformed);
    }

    private void RequestKeyframe(WebRtcSession subscriber, uint mediaSsrc, long now)
    {
        if (subscriber.ConsumersBySsrc.TryGetValue(mediaSsrc, out var consumer))
            consumer.Producer.RequestKeyframe(now);
    }

    private void AnswerNack(WebRtcSession subscriber, in RtcpGenericNack nack)
    {
        if (!subscriber.ConsumersBySsrc.TryGetValue(nack.MediaSsrc, out var consumer))
            return;
        Span<ushort> lost = stackalloc ushort[MaxNackedPerPacket];
        int count = nack.CopyLostSequenceNumbers(lost);
        for (int i = 0; i < count; i++)
        {
            if (consumer.Retransmit(lost[i]))
                Interlocked.Increment(ref Counters._nacksAnswered);
        }
    }

    /// <summary>PLI to the publisher (RFC 4585 §6.3.1), behind an empty RR so the compound is valid RFC 3550 RTCP.</summary>
    private void SendPictureLossIndication(Producer producer)
    {
        var buffer = SendBuffer.ForCurrentThread;
        if (!RtcpReceiverReport.TryWrite(buffer, ServerSsrc, [], out int rr)
            || !RtcpPictureLossIndication.TryWrite(buffer.AsSpan(rr), ServerSsrc, producer.Track.Ssrc, out int pli))
            return;
        if (producer.Publisher is { } publisher && publisher.Send(buffer, rr + pli, isRtcp: true))
            Interlocked.Increment(ref Counters._keyframeRequests);
    }

    /// <summary>Every report interval: a receiver report to each publisher, a sender report per track to each subscriber.</summary>
    private void SendReports()
    {
        try
        {
            long now = Environment.TickCount64;
            ulong ntp = NtpNow();
            foreach (var session in _sessionsById.Values)
            {
                if (!session.IsConnected)
                    continue;
                if (session.ProducersBySsrc.Count > 0)
                    SendReceiverReport(session, now);
                foreach (var consumer in session.ConsumersBySsrc.Values)
                    SendSenderReport(consumer, now, ntp);
            }
        }
        catch (Exception)
        {
            // A session closing under us; the next round reports again.
        }
    }

    private static void SendReceiverReport(WebRtcSession publisher, long now)
    {
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[31];
        int count = 0;
        foreach (var producer in publisher.ProducersBySsrc.Values)
        {
            if (count == blocks.Length || producer.Statistics.Packets == 0)
                continue;
            ref var stats = ref producer.Statistics;
            uint delaySinceLastSr = stats.LastSenderReportTicks == 0 ? 0 : (uint)((now - stats.LastSenderReportTicks) * 65536 / 1000);
            blocks[count++] = new RtcpReportBlock(producer.Track.Ssrc, stats.TakeFractionLost(), stats.CumulativeLost,
                (uint)stats.ExtendedHighest, stats.Jitter, stats.LastSenderReport, delaySinceLastSr);
        }
        if (count == 0)
            return;
        var buffer = SendBuffer.ForCurrentThread;
        if (RtcpReceiverReport.TryWrite(buffer, ServerSsrc, blocks[..count], out int written))
            publisher.Send(buffer, written, isRtcp: true);
    }

    private static void SendSenderReport(Consumer consumer, long now, ulong ntp)
    {
        if (consumer.PacketsSent == 0)
            return;
        // RFC 3550 §6.4.1: the RTP timestamp of "now" on the track's clock, from the newest packet sent.
        uint rtpTimestamp = consumer.LastRtpTimestamp + (uint)((now - consumer.LastRtpTicks) * consumer.Producer.Track.ClockRate / 1000);
        var buffer = SendBuffer.ForCurrentThread;
        if (RtcpSenderReport.TryWrite(buffer, consumer.Track.OutputSsrc, ntp, rtpTimestamp, (uint)consumer.PacketsSent,
                (uint)consumer.OctetsSent, [], out int written))
            consumer.Subscriber.Send(buffer, written, isRtcp: true);
    }

    private static ulong NtpNow()
    {
        // RFC 3550 §4: seconds since 1900 in the high 32 bits, the fraction in the low 32.
        var since = DateTime.UtcNow - NtpEpoch;
        ulong seconds = (ulong)since.Ticks / TimeSpan.TicksPerSecond;
        ulong fraction = ((ulong)since.Ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        return seconds << 32 | fraction;
    }
}
