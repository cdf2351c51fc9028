using System.Net;
using MediaPlane.Relay.Peers;
using MediaPlane.Relay.Protocol;
using MediaPlane.Relay.Routes;
using MediaPlane.Transport;

namespace MediaPlane.Relay;

/// <summary>
/// A node's UDP relay port, separate from its WebRTC media port (SEED.md §3), on the same SO_REUSEPORT
/// socket group as <see cref="UdpMediaPort"/>. Every datagram is parsed, its tag verified with the
/// cluster key, its destination and hop limit checked; what fails is dropped and counted, the rest goes
/// to the node. Relay v2 datagrams (first byte 5) are checked against the known peers' endpoints, then opened
/// with the peer's link key (docs/relay-protocol.md, Receiving). Nothing is allocated per packet.
/// </summary>
public sealed class RelayPort : IDatagramHandler, IDisposable
{
    private readonly UdpMediaPort _port;
    private readonly IRelayPacketHandler _handler;
    private readonly UdpReceiveSocket? _loopbackSocket;
    private readonly UdpReceiveSocket _externalSocket;

    internal RelayPort(RelayOptions options, IRelayPacketHandler handler)
    {
        _handler = handler;
        Authenticator = new RelayAuthenticator(options.ClusterKey);
        NodeId = options.NodeId;
        NodeHash = RelayIds.Hash(options.NodeId);
        try
        {
            _port = new UdpMediaPort(options.Port, this);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"Relay port {options.Port.Port} is taken; set RelayPort:Port to a free port.", e);
        }
        _loopbackSocket = _port.Sockets.FirstOrDefault(s => IPAddress.IsLoopback(s.LocalEndPoint.Address));
        _externalSocket = _port.Sockets.FirstOrDefault(s => s.LocalEndPoint.Address.Equals(_port.AdvertisedAddress))
            ?? _port.Sockets.FirstOrDefault(s => !IPAddress.IsLoopback(s.LocalEndPoint.Address))
            ?? _port.Sockets[0];
        Peers = new RelayPeers(options.ClusterKey, NodeHash, SocketFor);
        _port.Start();
    }

    /// <summary>The other nodes relay v2 talks to (set by the control plane).</summary>
    internal RelayPeers Peers { get; }

    private volatile RelayRouteTable _routes = RelayRouteTable.Empty;

    /// <summary>The next-hop table in use (pushed by the route control node).</summary>
    public RelayRouteTable Routes => _routes;

    /// <summary>Installs <paramref name="table"/> unless the one in use is as new; returns the table it replaced, or null.</summary>
    internal RelayRouteTable? ApplyRoutes(RelayRouteTable table)
    {
        while (true)
        {
            var current = _routes;
            if (table.Version <= current.Version)
                return null;
#pragma warning disable CS0420 // a volatile field passed by reference: Interlocked orders it as well
            if (Interlocked.CompareExchange(ref _routes, table, current) == current)
                return current;
#pragma warning restore CS0420
        }
    }

    /// <summary>
    /// The peer to send a packet for <paramref name="destination"/> to: the table's next hop, or the destination itself
    /// when the table has no entry yet but it is a peer (the first second of a node, before its first table). False when
    /// relay v2 cannot reach it (the caller falls back to the v1 direct path). Lock-free, no allocation.
    /// </summary>
    internal bool TryNextHop(ulong destination, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RelayPeer? hop)
    {
        ulong next = _routes.NextHopByHash.TryGetValue(destination, out ulong routed) ? routed : destination;
        return Peers.TryGet(next, out hop);
    }

    public string NodeId { get; }

    public ulong NodeHash { get; }

    public int Port => _port.Port;

    public IPAddress AdvertisedAddress => _port.AdvertisedAddress;

    public IPEndPoint AdvertisedEndPoint => new(_port.AdvertisedAddress, _port.Port);

    public RelayAuthenticator Authenticator { get; }

    public RelayCounters Counters { get; } = new();

    /// <summary>The socket to send towards <paramref name="destination"/> from: a loopback one for loopback peers.</summary>
    internal UdpReceiveSocket SocketFor(IPAddress destination) =>
        IPAddress.IsLoopback(destination) && _loopbackSocket is not null ? _loopbackSocket : _externalSocket;

    public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
    {
        if (datagram.Length > 0 && datagram[0] == RelayV2Packet.Version)
        {
            OnV2Datagram(datagram, meta);
            return;
        }
        if (!RelayPacketReader.TryParse(datagram, out var packet, out _))
        {
            Counters.Increment(RelayCounters.Counter.Malformed);
            return;
        }
        if (!Authenticator.Verify(packet))
        {
            Counters.Increment(RelayCounters.Counter.AuthenticationFailed);
            return;
        }
        if (packet.Header.HopLimit == 0)
        {
            Counters.Increment(RelayCounters.Counter.HopLimitExceeded);
            return;
        }
        if (packet.Header.DestinationNode != NodeHash)
        {
            // A later issue forwards along a route table here (decrement hop limit, re-sign, send on).
            Counters.Increment(RelayCounters.Counter.UnknownDestination);
            return;
        }
        _handler.OnRelayPacket(packet, Environment.TickCount64, meta.Socket);
    }

    private void OnV2Datagram(Span<byte> datagram, in ReceivedDatagram meta)
    {
        if (!Peers.TryOpen(meta.Remote, datagram, out var peer, out var packet, out var error))
        {
            Counters.Increment(error == RelayOpenError.UnknownSender ? RelayCounters.Counter.V2UnknownSender : RelayCounters.Counter.V2Rejected);
            return;
        }
        _handler.OnRelayV2Packet(peer, datagram, packet, Environment.TickCount64, meta.Socket);
    }

    public void Dispose()
    {
        _port.Dispose();
        Peers.Dispose();
    }
}
