using MediaPlane.Rtcp;
using MediaPlane.Routing;

namespace MediaPlane.RtcpTermination;

/// <summary>
/// What a subscriber's RTCP says about its downlink, handed to its <see cref="Congestion.SubscriberBandwidth"/>:
/// transport-cc feedback (RTPFB FMT 15) and the report blocks about the streams we send it. Runs on the
/// subscriber's receive loop; the session takes its send lock for the estimator.
/// </summary>
internal static class SubscriberCongestionFeedback
{
    /// <summary>An RR's worst fraction lost over our streams, and the round trip (RFC 3550 §6.4.1) where it has one.</summary>
    public static bool OnReportBlocks(IRoutedSession subscriber, in RtcpReceiverReport report, uint ntpMiddleNow)
    {
        if (subscriber.Bandwidth is null)
            return false;
        bool any = false;
        byte worstFractionLost = 0;
        long? roundTripMicros = null;
        for (int i = 0; i < report.ReportCount; i++)
        {
            var block = report.GetReportBlock(i);
            if (!subscriber.ConsumersBySsrc.ContainsKey(block.Ssrc))
                continue;
            any = true;
            worstFractionLost = Math.Max(worstFractionLost, block.FractionLost);
            if (RoundTripMicros(block, ntpMiddleNow) is { } rtt)
                roundTripMicros = Math.Max(roundTripMicros ?? 0, rtt);
        }
        if (any)
            subscriber.OnReceiverReport(worstFractionLost, roundTripMicros);
        return any;
    }

    /// <summary>
    /// RFC 3550 §6.4.1: RTT = A - LSR - DLSR, all in 1/65536 s, A being the middle 32 bits of our NTP clock when the
    /// report arrives. Null when the subscriber has not had a sender report yet (LSR 0) or the result is negative.
    /// </summary>
    public static long? RoundTripMicros(in RtcpReportBlock block, uint ntpMiddleNow)
    {
        if (block.LastSenderReport == 0)
            return null;
        uint units = ntpMiddleNow - block.LastSenderReport - block.DelaySinceLastSenderReport;
        if (units >= 0x8000_0000)
            return null;
        return units * 1_000_000L / 65536;
    }
}
