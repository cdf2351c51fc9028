using System.Buffers.Binary;
using MediaPlane.Relay.Peers;
using MediaPlane.Relay.Protocol;
using MediaPlane.Routing;

namespace MediaPlane.Relay.Probing;

/// <summary>
/// Probes every known peer's relay endpoint once per interval with a relay v2 probe and answers the peers' probes
/// (docs/relay-protocol.md, Probes). Probe payload: the probe number (4 bytes). Reply payload: the probe's send
/// timestamp (4 bytes), then the probe's payload; the prober takes RTT = now - that timestamp on its own clock, so the
/// two nodes need no clock sync. Probes and replies go on the peer's control link (hop limit 1: never forwarded).
/// </summary>
internal sealed class RelayProber : IDisposable
{
    public const int ProbePayloadLength = 4;
    public const int ReplyPayloadLength = 4 + ProbePayloadLength;

    private readonly RelayPeers _peers;
    private readonly RelayCounters _counters;
    private readonly ulong _self;
    private readonly Timer? _timer;
    private readonly double _answerWithinMs;
    private readonly byte[] _buffer = new byte[256]; // the timer's own; the timer never overlaps itself (below)
    private int _probing;

    public RelayProber(RelayPeers peers, RelayCounters counters, ulong self, TimeSpan interval)
    {
        _peers = peers;
        _counters = counters;
        _self = self;
        // A probe unanswered after two intervals (at least 1 s) is lost; the statistics' window must span more than that.
        _answerWithinMs = Math.Max(1000, 2 * interval.TotalMilliseconds);
        if (interval > TimeSpan.Zero)
            _timer = new Timer(_ => ProbeAll(), null, interval, interval);
    }

    /// <summary>Each peer's link measured so far (peers never answered are left out).</summary>
    public IReadOnlyList<RelayLinkMeasurement> Measure()
    {
        long now = Environment.TickCount64;
        var links = new List<RelayLinkMeasurement>();
        foreach (var peer in _peers.All)
        {
            if (peer.Probes.TryMeasure(now, _answerWithinMs, out double rtt, out double loss, out double jitter))
                links.Add(new RelayLinkMeasurement(peer.NodeId, Math.Round(rtt, 3), Math.Round(loss, 1), Math.Round(jitter, 3)));
        }
        return links;
    }

    /// <summary>Sends one probe to every peer now (the timer calls it; tests may too).</summary>
    public void ProbeAll()
    {
        if (Interlocked.Exchange(ref _probing, 1) == 1)
            return;
        try
        {
            Span<byte> payload = stackalloc byte[ProbePayloadLength];
            foreach (var peer in _peers.All)
            {
                BinaryPrimitives.WriteUInt32BigEndian(payload, peer.Probes.Sent(Environment.TickCount64));
                var header = new RelayV2Header(RelayV2PacketType.Probe, 1, RelayV2Clock.NowMicroseconds(), 0, 0, _self, peer.NodeHash);
                if (SendControl(peer, _buffer, header, payload))
                    _counters.Increment(RelayCounters.Counter.ProbesSent);
            }
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    /// <summary>On the receive loop of <paramref name="peer"/>: a probe opened; answer it.</summary>
    public void OnProbe(RelayPeer peer, in RelayV2Packet probe)
    {
        if (probe.Payload.Length != ProbePayloadLength)
        {
            _counters.Increment(RelayCounters.Counter.Malformed);
            return;
        }
        Span<byte> reply = stackalloc byte[ReplyPayloadLength];
        BinaryPrimitives.WriteUInt32BigEndian(reply, probe.Timestamp);
        probe.Payload.CopyTo(reply[4..]);
        var header = new RelayV2Header(RelayV2PacketType.ProbeReply, 1, RelayV2Clock.NowMicroseconds(), 0, 0, _self, peer.NodeHash);
        if (SendControl(peer, SendBuffer.ForCurrentThread, header, reply))
            _counters.Increment(RelayCounters.Counter.ProbesAnswered);
    }

    /// <summary>On the receive loop of <paramref name="peer"/>: a reply to one of our probes opened.</summary>
    public void OnProbeReply(RelayPeer peer, in RelayV2Packet reply)
    {
        if (reply.Payload.Length != ReplyPayloadLength)
        {
            _counters.Increment(RelayCounters.Counter.Malformed);
            return;
        }
        uint sentAt = BinaryPrimitives.ReadUInt32BigEndian(reply.Payload);
        uint number = BinaryPrimitives.ReadUInt32BigEndian(reply.Payload[4..]);
        double rttMs = RelayV2Clock.Elapsed(sentAt, RelayV2Clock.NowMicroseconds()) / 1000.0;
        peer.Probes.Answered(number, rttMs);
        _counters.Increment(RelayCounters.Counter.ProbeRepliesReceived);
    }

    private static bool SendControl(RelayPeer peer, byte[] buffer, in RelayV2Header header, ReadOnlySpan<byte> payload)
    {
        int written;
        lock (peer.ControlLock)
        {
            if (peer.Disposed || !peer.ControlSend.TrySeal(buffer, header, payload, out written))
                return false;
        }
        return peer.Socket.SendTo(buffer.AsSpan(0, written), peer.Address);
    }

    public void Dispose() => _timer?.Dispose();
}
