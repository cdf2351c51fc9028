using System.Net;
using MediaPlane.Transport;

namespace MediaPlane.Relay;

/// <summary>
/// A node's UDP relay port, separate from its WebRTC media port (SEED.md §3), on the same SO_REUSEPORT
/// socket group as <see cref="UdpMediaPort"/>. Every datagram is parsed, its tag verified with the
/// cluster key, its destination and hop limit checked; what fails is dropped and counted, the rest goes
/// to the node. Nothing is allocated per packet.
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
        _port.Start();
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

    public void Dispose() => _port.Dispose();
}
