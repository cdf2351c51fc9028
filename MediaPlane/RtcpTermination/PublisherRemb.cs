using MediaPlane.Congestion;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;

namespace MediaPlane.RtcpTermination;

/// <summary>
/// REMB to a publisher that negotiated goog-remb but not transport-cc (draft-alvestrand-rmcat-remb-03), so that
/// its encoder has a receive-side estimate of its uplink instead of none: every RTP packet's abs-send-time and
/// arrival feed an <see cref="AbsSendTimeReceiveEstimator"/>, its rate controller runs every 100 ms, and a
/// <see cref="RembScheduler"/> decides when a REMB goes (once a second, at once on a 3 % drop). Like
/// <see cref="PublisherTransportFeedback"/>: on the receive loop that reads the session's packets, right after the
/// packet that made it due; no timer, no lock, nothing allocated per packet.
/// </summary>
internal sealed class PublisherRemb(int absSendTimeExtensionId, uint[] mediaSsrcs)
{
    private const long UpdateIntervalMicros = 100_000;

    private readonly AbsSendTimeReceiveEstimator _estimator = new();
    private readonly RembScheduler _scheduler = new();
    private SessionLoopOwner _owner;
    private long _nextUpdateMicros;

    /// <summary>The estimate last sent, 0 before the first REMB.</summary>
    public long LastSentBitsPerSecond => _scheduler.LastSentBitsPerSecond;

    /// <summary>
    /// Records one of the publisher's packets read by <paramref name="loop"/>; when a REMB is due, writes an RTCP
    /// compound (an empty receiver report, then the REMB, RFC 3550 §6.1) into <paramref name="destination"/>.
    /// </summary>
    public bool OnRtp(in RtpPacketReader packet, object loop, long nowTicks, long nowMicros, Span<byte> destination, out int written)
    {
        written = 0;
        if (!_owner.TryOwn(loop, nowTicks) || !AbsSendTimeExtension.TryRead(packet, absSendTimeExtensionId, out uint sendTime))
            return false;
        _estimator.OnPacket(sendTime, nowMicros, packet.Packet.Length);
        if (nowMicros < _nextUpdateMicros)
            return false;
        _nextUpdateMicros = nowMicros + UpdateIntervalMicros;
        long estimate = _estimator.Update(nowMicros);
        if (!RtcpReceiverReport.TryWrite(destination, RtcpTerminator.ServerSsrc, [], out int rr)
            || !_scheduler.TryWrite(destination[rr..], RtcpTerminator.ServerSsrc, mediaSsrcs, estimate, nowMicros, out int remb))
            return false;
        written = rr + remb;
        return true;
    }
}
