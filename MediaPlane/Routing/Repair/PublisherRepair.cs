using MediaPlane.Rtcp;
using MediaPlane.RtcpTermination;
using MediaPlane.Contracts;

namespace MediaPlane.Routing.Repair;

/// <summary>
/// Loss repair toward one local publisher's video track: its missing packets are NACKed to the publisher
/// (RFC 4585 §6.2.1, scheduled by a <see cref="NackTracker"/>) and its RTX retransmissions (RFC 4588) are let
/// into the producer only when they fill a packet still missing, so subscribers get each packet once and the
/// retransmission buffer is completed. When the tracker gives up, the publisher is asked for a keyframe (the
/// producer's own PLI, rate limited). Driven by the publisher's packets: no timer. Owner: the producer's
/// receive loop; nothing allocated per packet.
/// </summary>
internal sealed class PublisherRepair(MediaPlaneCounters? counters)
{
    /// <summary>Sequence numbers in one NACK packet (at most 64 PID/BLP items, a few hundred bytes).</summary>
    public const int MaxNackedPerPacket = 64;

    private NackTracker? _tracker;

    /// <summary>Made by the first packet (about 6 KB), not when the session opens: see <see cref="Producer.Buffer"/>.</summary>
    public NackTracker Tracker => _tracker ??= new NackTracker();

    /// <summary>
    /// On the owner's loop, for each packet of the producer before it is forwarded: false when it must not be
    /// (a retransmission of a packet not missing: a duplicate, or the publisher's RTX probing).
    /// </summary>
    public bool OnPacket(Producer producer, ushort sequence, long nowMs, bool isRetransmission)
    {
        var arrival = Tracker.OnPacket(sequence, nowMs, isRetransmission);
        if (isRetransmission)
        {
            counters?.Increment(arrival == PacketArrival.Recovered ? MediaPlaneCounters.Counter.RtxRecovered : MediaPlaneCounters.Counter.RtxDiscarded);
            if (arrival != PacketArrival.Recovered)
                return false;
        }
        if (Tracker.IsDue(nowMs))
            SendNack(producer, nowMs);
        if (Tracker.TakeKeyframeNeeded())
        {
            counters?.Increment(MediaPlaneCounters.Counter.RepairGaveUp);
            producer.RequestKeyframe(nowMs);
        }
        return true;
    }

    /// <summary>Due NACKs, behind an empty receiver report so the compound is valid RFC 3550 RTCP (§6.1).</summary>
    private void SendNack(Producer producer, long nowMs)
    {
        Span<ushort> lost = stackalloc ushort[MaxNackedPerPacket];
        int count = Tracker.CollectDue(nowMs, lost);
        if (count == 0 || producer.Publisher is not { } publisher)
            return;
        var buffer = SendBuffer.ForCurrentThread;
        if (!RtcpReceiverReport.TryWrite(buffer, RtcpTerminator.ServerSsrc, [], out int rr)
            || !RtcpGenericNack.TryWrite(buffer.AsSpan(rr), RtcpTerminator.ServerSsrc, producer.Track.Ssrc, lost[..count], out int nack))
            return;
        if (publisher.Send(buffer, rr + nack, isRtcp: true))
            counters?.Increment(MediaPlaneCounters.Counter.NacksSentToPublishers);
    }
}
