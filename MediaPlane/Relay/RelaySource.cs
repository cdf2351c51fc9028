using System.Net;
using MediaPlane.Relay.Protocol;
using MediaPlane.Routing;
using MediaPlane.Rtcp;
using MediaPlane.Transport;

namespace MediaPlane.Relay;

/// <summary>
/// On an importing node: where a relayed producer's packets come from. Sends that origin the producer's
/// keyframe requests (relay RTCP feedback) and periodic keepalives: over relay v2 by the route table toward the origin
/// node when it is a known peer, else relay v1 straight to the origin's endpoint.
/// </summary>
internal sealed class RelaySource : IProducerSource
{
    private const uint ServerSsrc = 0x5346_5531; // "SFU1", as in our own RTCP
    private readonly RelayPort _port;
    private readonly UdpReceiveSocket _socket;
    private readonly SocketAddress _origin;
    private uint _sequence;
    private long _idleSinceTicks;
    private long _lastHeardTicks = Environment.TickCount64;

    internal RelaySource(RelayPort port, string roomId, string streamId, string sourceNodeId, IPEndPoint origin)
    {
        _port = port;
        SourceNodeId = sourceNodeId;
        SourceNode = RelayIds.Hash(sourceNodeId);
        RoomHash = RelayIds.Hash(roomId);
        StreamHash = RelayIds.Hash(streamId);
        Origin = origin;
        _origin = origin.Serialize();
        _socket = port.SocketFor(origin.Address);
    }

    public string SourceNodeId { get; }

    public ulong SourceNode { get; }

    public ulong RoomHash { get; }

    public ulong StreamHash { get; }

    public IPEndPoint Origin { get; }

    /// <summary>Relay sequence number of the newest packet from the origin (for loss accounting later).</summary>
    internal uint LastSequence;

    /// <summary>When the origin was last heard from (media or keepalive): an import whose origin fell silent is dropped.</summary>
    internal long LastHeardTicks => Volatile.Read(ref _lastHeardTicks);

    internal void Heard(long nowTicks) => Volatile.Write(ref _lastHeardTicks, nowTicks);

    /// <summary>Tick count since which the producer has had no consumers, or 0 while it has some.</summary>
    internal long IdleSinceTicks
    {
        get => Interlocked.Read(ref _idleSinceTicks);
        set => Interlocked.Exchange(ref _idleSinceTicks, value);
    }

    /// <summary>A PLI for the relayed producer's track (RFC 4585 §6.3.1), towards the origin.</summary>
    internal void SendKeyframeRequest(Producer producer)
    {
        var buffer = SendBuffer.ForCurrentThread;
        var payload = buffer.AsSpan(RelayPacketReader.HeaderLength);
        if (RtcpPictureLossIndication.TryWrite(payload, ServerSsrc, producer.Track.Ssrc, out int length)
            && Send(RelayPacketKind.RtcpFeedback, buffer, payload[..length]))
            _port.Counters.Increment(RelayCounters.Counter.FeedbackSent);
    }

    internal void SendKeepalive() => Send(RelayPacketKind.Keepalive, SendBuffer.ForCurrentThread, []);

    private bool Send(RelayPacketKind kind, byte[] buffer, ReadOnlySpan<byte> payload)
    {
        if (_port.TryNextHop(SourceNode, out var hop))
        {
            var type = kind == RelayPacketKind.RtcpFeedback ? RelayV2PacketType.Rtcp : RelayV2PacketType.Control;
            ReadOnlySpan<byte> body = kind == RelayPacketKind.RtcpFeedback ? payload : RelayV2Control.Keepalive;
            var v2 = new RelayV2Header(type, RelayV2Header.DefaultHopLimit, RelayV2Clock.NowMicroseconds(), RoomHash, StreamHash, _port.NodeHash, SourceNode);
            // The payload may already sit in this thread's send buffer (a PLI written after the v1 header): seal from a copy.
            Span<byte> plain = stackalloc byte[body.Length];
            body.CopyTo(plain);
            return hop.TrySealAndSend(buffer, v2, plain);
        }
        var header = new RelayHeader(kind, RelayHeader.DefaultHopLimit, Interlocked.Increment(ref _sequence),
            RoomHash, StreamHash, _port.NodeHash, SourceNode);
        return RelayPacketWriter.TryWrite(buffer, header, payload, _port.Authenticator, out int written)
               && _socket.SendTo(buffer.AsSpan(0, written), _origin);
    }
}
