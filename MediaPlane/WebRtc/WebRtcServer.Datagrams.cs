using MediaPlane.Demux;
using MediaPlane.Routing;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.WebRtc;

// The receive path: runs on the media port's receive loops, once per datagram, allocating nothing. RTP is
// handled on the loop that owns its producer; RTCP about other loops' producers is posted to them.
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
            Counters.Increment(MediaPlaneCounters.Counter.Unclassified);
            return;
        }
        // Everything but STUN is routed by the client's address, learned from a verified binding request.
        if (!_table.TryGetByEndpoint(meta.Remote, out var session) || session is null)
        {
            Counters.Increment(MediaPlaneCounters.Counter.UnknownSource);
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
            Counters.Increment(MediaPlaneCounters.Counter.SrtpRejected);
            return;
        }
        var plain = datagram[..plainLength];
        if (isRtcp)
        {
            OnRtcp(session, plain, meta.Socket);
            return;
        }
        if (!RtpPacketReader.TryParse(plain, out var header, out _))
        {
            Counters.Increment(MediaPlaneCounters.Counter.RtpMalformed);
            return;
        }
        if (!session.ProducersBySsrc.TryGetValue(header.Ssrc, out var producer))
        {
            Counters.Increment(MediaPlaneCounters.Counter.RtpUnknownSsrc);
            return;
        }
        if (!producer.TryOwn(meta.Socket, this, (int)RouterWork.HandOver))
        {
            Counters.Increment(MediaPlaneCounters.Counter.RtpWhileOwnerMoves);
            return;
        }
        Counters.Increment(MediaPlaneCounters.Counter.RtpForwarded);
        producer.OnRtp(plain, header, Environment.TickCount64);
    }
}
