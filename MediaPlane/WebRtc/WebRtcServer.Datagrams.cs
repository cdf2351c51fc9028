using MediaPlane.Demux;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.WebRtc;

// The receive path: runs on the media port's receive threads, once per datagram, allocating nothing.
public sealed partial class WebRtcServer
{
    public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
    {
        var kind = PacketClassifier.Classify(datagram);
        if (kind == PacketKind.Stun)
        {
            _ice.Handle(datagram, meta, Environment.TickCount64);
            return;
        }
        if (kind is not (PacketKind.Dtls or PacketKind.Rtp or PacketKind.Rtcp))
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
        if (kind == PacketKind.Dtls)
        {
            session.Dtls.FeedDatagram(datagram);
            return;
        }

        bool isRtcp = kind == PacketKind.Rtcp;
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
