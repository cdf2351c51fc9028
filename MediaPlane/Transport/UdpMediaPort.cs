using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace MediaPlane.Transport;

/// <summary>
/// The silo's one UDP port for every WebRTC client: for each bound local address, a group of
/// SO_REUSEPORT sockets (one receive thread each) sharing the port. Where mediasoup needs a port per
/// worker and LiveKit a port range, receiving here scales over cores behind a single port.
/// </summary>
public sealed class UdpMediaPort : IDisposable
{
    private readonly List<UdpReceiveSocket> _sockets = [];

    public UdpMediaPort(MediaPortOptions options, IDatagramHandler handler)
    {
        var bind = IPAddress.Parse(options.BindAddress);
        var addresses = bind.Equals(IPAddress.Any) ? LocalIPv4Addresses() : [bind];
        int loops = Math.Max(1, options.ReceiveLoops);
        int port = options.Port;
        try
        {
            foreach (var address in addresses)
            {
                if (port != 0)
                    EnsureNotTaken(new IPEndPoint(address, port));
                for (int i = 0; i < loops; i++)
                {
                    var socket = new UdpReceiveSocket(new IPEndPoint(address, port), handler, options.SocketBufferBytes, $"media-rx {address}#{i}",
                        options.ReceiveThreadSliceMicroseconds > 0 ? TimeSpan.FromMicroseconds(options.ReceiveThreadSliceMicroseconds) : null);
                    port = socket.LocalEndPoint.Port; // port 0: the first bind chooses, the rest join it
                    _sockets.Add(socket);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        Port = port;
        AdvertisedAddress = options.ResolveAdvertisedAddress();
    }

    public int Port { get; }

    public IPAddress AdvertisedAddress { get; }

    public IReadOnlyList<UdpReceiveSocket> Sockets => _sockets;

    public long DatagramsReceived => _sockets.Sum(s => s.DatagramsReceived);

    public void Start()
    {
        foreach (var socket in _sockets)
            socket.Start();
    }

    /// <summary>
    /// SO_REUSEPORT would let a second process of the same user join our port and take half of its
    /// clients without an error. A plain bind first fails if anyone holds the port, reuse or not.
    /// </summary>
    private static void EnsureNotTaken(IPEndPoint endpoint)
    {
        using var probe = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Bind(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException($"Media port {endpoint} is already in use by another process; set MediaPort:Port to a free port.", e);
        }
    }

    private static List<IPAddress> LocalIPv4Addresses()
    {
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up || n.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .Distinct()
            .ToList();
        if (!addresses.Contains(IPAddress.Loopback))
            addresses.Insert(0, IPAddress.Loopback);
        return addresses;
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
            socket.Dispose();
        _sockets.Clear();
    }
}
