using System.Net;
using MediaPlane.Relay.Protocol;
using MediaPlane.Routing;
using MediaPlane.Transport;

namespace MediaPlane.Relay;

/// <summary>
/// On a stream's origin: the one relay copy of a producer towards one destination node, however many
/// subscribers that node has. Wraps each plain RTP packet of the producer in a relay header and sends it: relay v2
/// (sealed per link) to the next hop the route table names toward the destination, or, while the destination is not a
/// known relay v2 peer, relay v1 straight to it. Ownership: media and keepalives on the producer's loop or the
/// housekeeping timer; <see cref="NextHop"/> is written by the sender, read by route changes.
/// </summary>
internal sealed class RelaySink : IPacketSink
{
    private readonly RelayPort _port;
    private readonly UdpReceiveSocket _socket;
    private readonly SocketAddress _destination;
    private uint _sequence;
    private long _lastKeepaliveTicks;

    internal RelaySink(Producer producer, RelayPort port, ulong roomHash, string destinationNodeId, IPEndPoint destination, long nowTicks)
    {
        Producer = producer;
        _port = port;
        DestinationNodeId = destinationNodeId;
        DestinationNode = RelayIds.Hash(destinationNodeId);
        Destination = destination;
        _destination = destination.Serialize();
        _socket = port.SocketFor(destination.Address);
        RoomHash = roomHash;
        StreamHash = RelayIds.Hash(producer.Track.StreamId);
        _lastKeepaliveTicks = nowTicks;
    }

    public Producer Producer { get; }

    public string DestinationNodeId { get; }

    public ulong DestinationNode { get; }

    public IPEndPoint Destination { get; }

    public ulong RoomHash { get; }

    public ulong StreamHash { get; }

    public long PacketsSent => Volatile.Read(ref _packetsSent); // written by the producer's loop only
    private long _packetsSent;

    /// <summary>The relay v2 peer the last packet went to (0: none yet, or relay v1).</summary>
    internal ulong NextHop => Volatile.Read(ref _nextHop);
    private ulong _nextHop;

    internal long LastKeepaliveTicks => Interlocked.Read(ref _lastKeepaliveTicks);

    internal void KeepAlive(long nowTicks) => Interlocked.Exchange(ref _lastKeepaliveTicks, nowTicks);

    /// <summary>Called on the producer's receive loop for every packet.</summary>
    public void Forward(ReadOnlySpan<byte> packet)
    {
        if (Send(RelayPacketKind.Rtp, packet))
        {
            Volatile.Write(ref _packetsSent, _packetsSent + 1);
            _port.Counters.Increment(RelayCounters.Counter.RtpSent);
        }
    }

    /// <summary>Tells the destination the origin is alive (so it keeps the import even while the publisher is silent).</summary>
    internal void SendKeepalive() => Send(RelayPacketKind.Keepalive, []);

    /// <summary>Tells the destination the stream has ended, so it drops its import at once.</summary>
    internal void SendStreamEnded() => Send(RelayPacketKind.StreamEnded, []);

    private bool Send(RelayPacketKind kind, ReadOnlySpan<byte> payload)
    {
        if (_port.TryNextHop(DestinationNode, out var hop))
        {
            var type = kind == RelayPacketKind.Rtp ? RelayV2PacketType.Media : RelayV2PacketType.Control;
            ReadOnlySpan<byte> body = kind switch
            {
                RelayPacketKind.Rtp => payload,
                RelayPacketKind.StreamEnded => RelayV2Control.StreamEnded,
                _ => RelayV2Control.Keepalive,
            };
            var v2 = new RelayV2Header(type, RelayV2Header.DefaultHopLimit, RelayV2Clock.NowMicroseconds(), RoomHash, StreamHash, _port.NodeHash, DestinationNode);
            if (_nextHop != hop.NodeHash)
                Volatile.Write(ref _nextHop, hop.NodeHash);
            return hop.TrySealAndSend(SendBuffer.ForCurrentThread, v2, body);
        }
        var header = new RelayHeader(kind, RelayHeader.DefaultHopLimit, Interlocked.Increment(ref _sequence),
            RoomHash, StreamHash, _port.NodeHash, DestinationNode);
        var buffer = SendBuffer.ForCurrentThread;
        return RelayPacketWriter.TryWrite(buffer, header, payload, _port.Authenticator, out int written)
               && _socket.SendTo(buffer.AsSpan(0, written), _destination);
    }
}
