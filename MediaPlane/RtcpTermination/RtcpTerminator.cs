using MediaPlane.Contracts;
using MediaPlane.Routing;
using MediaPlane.Rtcp;
using MediaPlane.Transport;

namespace MediaPlane.RtcpTermination;

/// <summary>
/// Terminates RTCP (RFC 3550 §6, RFC 4585): subscribers' feedback reaches publishers (PLI, FIR, rate
/// limited per producer) or is answered here (NACK, from the producer's buffer); publishers get receiver
/// reports and subscribers sender reports on a timer. Whatever reads or writes a producer's state runs on
/// the producer's receive loop: feedback arriving on another loop, and the timer's rounds, are posted
/// there as <see cref="RouterWork"/>, which this class also runs (<see cref="ILoopWorkHandler"/>).
/// </summary>
internal sealed class RtcpTerminator : ILoopWorkHandler, IDisposable
{
    /// <summary>Our sender SSRC in the feedback and receiver reports we originate (RFC 4585 §6.1 "packet sender").</summary>
    internal const uint ServerSsrc = 0x5346_5531; // "SFU1"
    private const int MaxNackedPerPacket = 256;
    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Router _router;
    private readonly MediaPlaneCounters _counters;
    private readonly Timer _reporter;

    public RtcpTerminator(Router router, MediaPlaneCounters counters, TimeSpan reportInterval)
    {
        _router = router;
        _counters = counters;
        router.SendPictureLoss = SendPictureLossIndication;
        router.SessionConnected = RequestKeyframes;
        _reporter = new Timer(_ => SendReports(), null, reportInterval, reportInterval);
    }

    /// <summary>On the receive loop of <paramref name="session"/>: one plain RTCP compound from its client.</summary>
    public void OnRtcp(IRoutedSession session, ReadOnlySpan<byte> compound, UdpReceiveSocket? loop)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out var packet))
        {
            switch (packet.PacketType)
            {
                case RtcpPacketType.PayloadSpecificFeedback when packet.Count == RtcpPictureLossIndication.Format:
                    if (RtcpPictureLossIndication.TryParse(packet.Bytes, out var pli, out _))
                        RequestKeyframe(session, pli.MediaSsrc, loop);
                    break;
                case RtcpPacketType.PayloadSpecificFeedback when packet.Count == RtcpFullIntraRequest.Format:
                    if (RtcpFullIntraRequest.TryParse(packet.Bytes, out var fir, out _))
                    {
                        // RFC 5104 §4.3.1: the media SSRC field is unused; each FCI entry names a stream.
                        for (int i = 0; i < fir.EntryCount; i++)
                        {
                            fir.GetEntry(i, out uint ssrc, out _);
                            RequestKeyframe(session, ssrc, loop);
                        }
                    }
                    break;
                case RtcpPacketType.TransportFeedback when packet.Count == RtcpGenericNack.Format:
                    if (RtcpGenericNack.TryParse(packet.Bytes, out var nack, out _))
                        AnswerNack(session, nack, loop);
                    break;
                case RtcpPacketType.TransportFeedback when packet.Count == RtcpTransportFeedback.Format:
                    session.OnTransportFeedback(packet.Bytes);
                    break;
                case RtcpPacketType.ReceiverReport when session.Bandwidth is not null:
                    if (RtcpReceiverReport.TryParse(packet.Bytes, out var receiverReport, out _))
                        SubscriberCongestionFeedback.OnReportBlocks(session, receiverReport, (uint)(NtpNow() >> 16));
                    break;
                case RtcpPacketType.SenderReport:
                    if (RtcpSenderReport.TryParse(packet.Bytes, out var report, out _)
                        && session.ProducersBySsrc.TryGetValue(report.SenderSsrc, out var producer))
                    {
                        // RFC 3550 §6.4.1: LSR is the middle 32 bits of the SR's NTP timestamp.
                        RunOnOwner(producer, RouterWork.SenderReportReceived, producer, (uint)(report.NtpTimestamp >> 16), loop);
                        foreach (var tap in producer.RecordingTaps)
                            tap.OnSenderReport(report.NtpTimestamp, report.RtpTimestamp);
                    }
                    break;
            }
        }
        if (reader.Error != RtcpParseError.None)
            _counters.Increment(MediaPlaneCounters.Counter.RtcpMalformed);
    }

    /// <summary>A remote node's subscribers want a keyframe (relay feedback, on a relay loop): ask our publisher.</summary>
    public void OnRelayedFeedback(Producer producer, ReadOnlySpan<byte> compound, UdpReceiveSocket? loop)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out var rtcp))
        {
            if (rtcp.PacketType == RtcpPacketType.PayloadSpecificFeedback
                && rtcp.Count is RtcpPictureLossIndication.Format or RtcpFullIntraRequest.Format)
            {
                RunOnOwner(producer, RouterWork.RequestKeyframe, producer, 0, loop);
                return;
            }
        }
        if (reader.Error != RtcpParseError.None)
            _counters.Increment(MediaPlaneCounters.Counter.RtcpMalformed);
    }

    /// <summary>From a control thread (a relay route changed): a keyframe request run on the producer's own loop.</summary>
    public void RequestKeyframe(Producer producer) => RunOnOwner(producer, RouterWork.RequestKeyframe, producer, 0, current: null);

    /// <summary>A new subscriber needs a keyframe now, not at the publisher's next periodic one.</summary>
    private void RequestKeyframes(IRoutedSession subscriber)
    {
        foreach (var consumer in subscriber.ConsumersBySsrc.Values)
            RunOnOwner(consumer.Producer, RouterWork.RequestKeyframe, consumer.KeyframeProducer, 0, current: null);
    }

    private void RequestKeyframe(IRoutedSession subscriber, uint mediaSsrc, UdpReceiveSocket? loop)
    {
        if (subscriber.ConsumersBySsrc.TryGetValue(mediaSsrc, out var consumer))
            RunOnOwner(consumer.Producer, RouterWork.RequestKeyframe, consumer.KeyframeProducer, 0, loop);
    }

    private void AnswerNack(IRoutedSession subscriber, in RtcpGenericNack nack, UdpReceiveSocket? loop)
    {
        if (!subscriber.ConsumersBySsrc.TryGetValue(nack.MediaSsrc, out var consumer))
            return;
        Span<ushort> lost = stackalloc ushort[MaxNackedPerPacket];
        int count = nack.CopyLostSequenceNumbers(lost);
        for (int i = 0; i < count; i++)
            RunOnOwner(consumer.Producer, RouterWork.Retransmit, consumer, lost[i], loop);
    }

    /// <summary>
    /// Work about <paramref name="producer"/>: done now when <paramref name="current"/> (the calling
    /// thread's loop, null off the loops) owns it, else posted to the owner. Before its first packet a
    /// producer has no owner and nothing buffered or counted: only a keyframe request (atomic) and the
    /// publisher's last sender report (fields no packet writes) are done at once; the rest has nothing to do.
    /// </summary>
    private void RunOnOwner(Producer producer, RouterWork operation, object subject, long argument, UdpReceiveSocket? current)
    {
        var work = new LoopWork(this, subject, (int)operation, argument);
        var owner = producer.Owner;
        if (owner is null)
        {
            if (operation is RouterWork.RequestKeyframe or RouterWork.SenderReportReceived)
                Run(work);
            return;
        }
        if (owner == current)
            Run(work);
        else
            owner.Post(work);
    }

    void ILoopWorkHandler.Run(in LoopWork work, UdpReceiveSocket? loop)
    {
        var owner = (RouterWork)work.Operation switch
        {
            RouterWork.Retransmit or RouterWork.SenderReport => ((Consumer)work.Subject).Producer.Owner,
            RouterWork.RequestKeyframe or RouterWork.SenderReportReceived or RouterWork.HandOver => ((Producer)work.Subject).Owner,
            _ => loop,
        };
        if (owner != loop)
        {
            owner?.Post(work); // the producer moved loops after this was posted: follow it
            return;
        }
        Run(work);
    }

    /// <summary>On the owner's loop (or, for what <see cref="RunOnOwner"/> allows, before there is one).</summary>
    private void Run(in LoopWork work)
    {
        long now = Environment.TickCount64;
        switch ((RouterWork)work.Operation)
        {
            case RouterWork.Retransmit:
                if (((Consumer)work.Subject).Retransmit((ushort)work.Argument))
                    _counters.Increment(MediaPlaneCounters.Counter.NacksAnswered);
                break;
            case RouterWork.RequestKeyframe:
                ((Producer)work.Subject).RequestKeyframe(now);
                break;
            case RouterWork.SenderReportReceived:
                ref var stats = ref ((Producer)work.Subject).Statistics;
                stats.LastSenderReport = (uint)work.Argument;
                stats.LastSenderReportTicks = now;
                break;
            case RouterWork.HandOver:
                ((Producer)work.Subject).HandOver();
                break;
            case RouterWork.ReceiverReport:
                SendReceiverReport((IRoutedSession)work.Subject, now);
                break;
            case RouterWork.SenderReport:
                SendSenderReport((Consumer)work.Subject, now, NtpNow());
                break;
        }
    }

    /// <summary>PLI to the publisher (RFC 4585 §6.3.1), behind an empty RR so the compound is valid RFC 3550 RTCP.</summary>
    private void SendPictureLossIndication(Producer producer)
    {
        var buffer = SendBuffer.ForCurrentThread;
        if (!RtcpReceiverReport.TryWrite(buffer, ServerSsrc, [], out int rr)
            || producer.MediaSsrc == 0 // a simulcast layer whose SSRC is not known yet
            || !RtcpPictureLossIndication.TryWrite(buffer.AsSpan(rr), ServerSsrc, producer.MediaSsrc, out int pli))
            return;
        if (producer.Publisher is { } publisher && publisher.Send(buffer, rr + pli, isRtcp: true))
            _counters.Increment(MediaPlaneCounters.Counter.KeyframeRequests);
    }

    /// <summary>
    /// Every report interval: a receiver report to each publisher, a sender report per track to each
    /// subscriber, each built on the loop that owns the producer it reports on.
    /// </summary>
    private void SendReports()
    {
        try
        {
            foreach (var session in _router.Sessions)
            {
                if (!session.IsConnected)
                    continue;
                foreach (var producer in session.ProducersBySsrc.Values)
                {
                    if (producer.Owner is { } owner)
                    {
                        owner.Post(new LoopWork(this, session, (int)RouterWork.ReceiverReport));
                        break;
                    }
                }
                foreach (var consumer in session.ConsumersBySsrc.Values)
                {
                    if (consumer.PacketsSent > 0)
                        consumer.Producer.Owner?.Post(new LoopWork(this, consumer, (int)RouterWork.SenderReport));
                }
            }
        }
        catch (Exception)
        {
            // A session closing under us; the next round reports again.
        }
    }

    /// <summary>On a receive loop: the blocks of the publisher's producers this loop owns (normally all of them).</summary>
    private static void SendReceiverReport(IRoutedSession publisher, long now)
    {
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[31];
        int count = 0;
        foreach (var producer in publisher.ProducersBySsrc.Values)
        {
            if (count == blocks.Length || producer.Statistics.Packets == 0 || producer.Owner is not { IsCurrentThread: true })
                continue;
            ref var stats = ref producer.Statistics;
            uint delaySinceLastSr = stats.LastSenderReportTicks == 0 ? 0 : (uint)((now - stats.LastSenderReportTicks) * 65536 / 1000);
            blocks[count++] = new RtcpReportBlock(producer.MediaSsrc, stats.TakeFractionLost(), stats.CumulativeLost,
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

    internal static ulong NtpNow()
    {
        // RFC 3550 §4: seconds since 1900 in the high 32 bits, the fraction in the low 32.
        var since = DateTime.UtcNow - NtpEpoch;
        ulong seconds = (ulong)since.Ticks / TimeSpan.TicksPerSecond;
        ulong fraction = ((ulong)since.Ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        return seconds << 32 | fraction;
    }

    public void Dispose() => _reporter.Dispose();
}
