using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.WebRtc;

// The receive path: runs on the media port's receive threads, once per datagram, allocating nothing.
public sealed partial class WebRtcServer
{
    public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
    {
        if (datagram.Length < 2)
        {
            Interlocked.Increment(ref Counters._unclassified);
            return;
        }
        // RFC 7983 §7: the first byte tells STUN, DTLS and RTP/RTCP apart.
        byte first = datagram[0];
        if (first <= 3)
        {
            _ice.Handle(datagram, meta, Environment.TickCount64);
            return;
        }
        bool isDtls = first is >= 20 and <= 63;
        bool isRtp = first is >= 128 and <= 191;
        if (!isDtls && !isRtp)
        {
            Interlocked.Increment(ref Counters._unclassified);
            return;
        }
        // Everything but STUN is routed by the client's address, learned from a verified binding request.
        if (!_table.TryGetByEndpoint(meta.Remote, out var session) || session is null)
        {
            Interlocked.Increment(ref Counters._unknownSource);
            return;
        }
        if (isDtls)
        {
            session.Dtls.FeedDatagram(datagram);
            return;
        }

        // RFC 5761 §4: RTCP packet types 192-223 occupy what would be RTP payload types 64-95.
        bool isRtcp = datagram[1] is >= 192 and <= 223;
        int plainLength = session.Unprotect(datagram, isRtcp);
        if (plainLength < 0)
        {
            Interlocked.Increment(ref Counters._srtpRejected);
            return;
        }
        var plain = datagram[..plainLength];
        if (isRtcp)
        {
            OnRtcp(session, plain);
            return;
        }
        if (!RtpPacketReader.TryParse(plain, out var header, out _))
        {
            Interlocked.Increment(ref Counters._rtpMalformed);
            return;
        }
        if (!session.ProducersBySsrc.TryGetValue(header.Ssrc, out var producer))
        {
            Interlocked.Increment(ref Counters._rtpUnknownSsrc);
            return;
        }
        Interlocked.Increment(ref Counters._rtpForwarded);
        producer.OnRtp(plain, header, Environment.TickCount64);
    }
}
