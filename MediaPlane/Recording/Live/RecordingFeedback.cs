using MediaPlane.Routing;
using MediaPlane.Rtcp;
using MediaPlane.RtcpTermination;
using MediaPlane.Transport;

namespace MediaPlane.Recording.Live;

/// <summary>
/// What a recording asks of a publisher, run on the loop that owns the producer (the writer thread posts it,
/// see <see cref="LoopWorkQueue"/>): a NACK for packets its reorder buffer misses (RFC 4585 §6.2.1, one FCI
/// entry per work item), or a keyframe after a loss it could not repair (a PLI, merged with the
/// subscribers' by the producer's rate limit).
/// </summary>
internal sealed class RecordingFeedback : ILoopWorkHandler
{
    public static readonly RecordingFeedback Instance = new();

    private enum Operation
    {
        Nack,
        Keyframe,
    }

    /// <summary>From the writer thread. Packs one FCI entry (PID, BLP) into the work's argument.</summary>
    public static bool PostNack(Producer producer, ushort packetId, ushort lostBitmask) =>
        producer.Owner is { } owner && owner.Post(new LoopWork(Instance, producer, (int)Operation.Nack, packetId | (long)lostBitmask << 16));

    /// <summary>From the writer thread.</summary>
    public static bool PostKeyframeRequest(Producer producer)
    {
        if (producer.Owner is { } owner)
            return owner.Post(new LoopWork(Instance, producer, (int)Operation.Keyframe));
        return producer.RequestKeyframe(Environment.TickCount64); // no packet yet: nothing else runs on it
    }

    public void Run(in LoopWork work, UdpReceiveSocket loop)
    {
        var producer = (Producer)work.Subject;
        if (producer.Owner is { } owner && owner != loop)
        {
            owner.Post(work); // handed over to another loop since: follow it
            return;
        }
        if ((Operation)work.Operation == Operation.Keyframe)
        {
            producer.RequestKeyframe(Environment.TickCount64);
            return;
        }
        if (producer.Publisher is not { } publisher)
            return; // relayed: the origin node repairs its own uplink
        Span<ushort> lost = stackalloc ushort[17];
        ushort packetId = (ushort)work.Argument, mask = (ushort)(work.Argument >> 16);
        int count = 0;
        lost[count++] = packetId;
        for (int bit = 0; bit < 16; bit++)
        {
            if ((mask & (1 << bit)) != 0)
                lost[count++] = (ushort)(packetId + bit + 1);
        }
        // An empty receiver report first: a compound must start with SR or RR (RFC 3550 §6.1).
        var buffer = SendBuffer.ForCurrentThread;
        if (RtcpReceiverReport.TryWrite(buffer, RtcpTerminator.ServerSsrc, [], out int rr)
            && RtcpGenericNack.TryWrite(buffer.AsSpan(rr), RtcpTerminator.ServerSsrc, producer.Track.Ssrc, lost[..count], out int nack))
            publisher.Send(buffer, rr + nack, isRtcp: true);
    }
}
