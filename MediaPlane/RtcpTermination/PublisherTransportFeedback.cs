using System.Diagnostics;
using MediaPlane.Congestion;
using MediaPlane.Rtcp;
using MediaPlane.Rtp;

namespace MediaPlane.RtcpTermination;

/// <summary>
/// transport-cc feedback to one publisher (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1), so that a
/// browser's send-side estimator sees its packets arrive and does not throttle its encoder. Every RTP packet's
/// transport-wide sequence number and arrival time are recorded on the receive loop that reads the session's packets,
/// and that loop writes the feedback right after the packet that made it due (every 50 ms while media flows): no timer,
/// no lock. One owner: the first loop to record; another loop takes over only after the owner has been silent for a
/// second (the client's packets now reach another socket of the port).
/// </summary>
internal sealed class PublisherTransportFeedback
{
    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;

    private readonly TransportFeedbackGenerator _generator;
    private readonly int _extensionId;
    private SessionLoopOwner _owner;

    public PublisherTransportFeedback(int extensionId, uint mediaSsrc)
    {
        _extensionId = extensionId;
        _generator = new TransportFeedbackGenerator(RtcpTerminator.ServerSsrc, mediaSsrc);
    }

    public static long NowMicros() => (long)(Stopwatch.GetTimestamp() * MicrosPerTick);

    /// <summary>
    /// Records one of the publisher's packets read by <paramref name="loop"/>, and when feedback is due writes an RTCP
    /// compound (an empty receiver report, then the feedback, RFC 3550 §6.1) into <paramref name="destination"/>.
    /// </summary>
    /// <returns>True when <paramref name="written"/> bytes of feedback are to be sent now.</returns>
    public bool OnRtp(in RtpPacketReader packet, object loop, long nowTicks, long nowMicros, Span<byte> destination, out int written)
    {
        written = 0;
        if (!_owner.TryOwn(loop, nowTicks) || !TransportSequenceNumberExtension.TryRead(packet, _extensionId, out ushort sequence))
            return false;
        _generator.OnPacket(sequence, nowMicros);
        if (!_generator.IsFeedbackDue(nowMicros)
            || !RtcpReceiverReport.TryWrite(destination, RtcpTerminator.ServerSsrc, [], out int rr)
            || !_generator.TryBuildFeedback(nowMicros, destination[rr..], out int feedback))
            return false;
        written = rr + feedback;
        return true;
    }
}
