namespace MediaPlane.Routing;

/// <summary>
/// A recorder hanging off a producer (Recording/Live): it gets each plain RTP packet on the producer's receive
/// loop, like a relay sink, and the publisher's sender reports (on whichever loop the RTCP arrived: an
/// implementation must take those from any thread). Lets Routing feed Recording without depending on it.
/// </summary>
internal interface IRecordingTap : IPacketSink
{
    /// <summary>RFC 3550 §6.4.1: the SR's 64-bit NTP timestamp and the RTP timestamp of the same instant.</summary>
    void OnSenderReport(ulong ntpTimestamp, uint rtpTimestamp);
}
