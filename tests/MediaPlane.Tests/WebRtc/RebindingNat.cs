using System.Net;
using System.Net.Sockets;

namespace MediaPlane.Tests.WebRtc;

/// <summary>
/// A NAT between one client and the media node, on loopback aliases: the client talks to <see cref="InnerEndPoint"/>,
/// the node sees <see cref="OuterEndPoint"/>. <see cref="Rebind"/> moves the outside to a new address and port, as a
/// NAT rebinding does. Each socket is read on a thread of its own; disposal closes them all.
/// </summary>
internal sealed class RebindingNat : IDisposable
{
    private readonly Socket _inner = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly List<Thread> _threads = [];
    private Socket _outer;
    private EndPoint? _client;
    private volatile bool _disposed;

    public RebindingNat(IPEndPoint server, IPAddress outerAddress)
    {
        _server = server;
        _inner.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _outer = BindOuter(outerAddress);
        Start(InsideLoop);
    }

    public IPEndPoint InnerEndPoint => (IPEndPoint)_inner.LocalEndPoint!;

    public IPEndPoint OuterEndPoint => (IPEndPoint)Volatile.Read(ref _outer).LocalEndPoint!;

    /// <summary>When true, STUN requests from the node to the client are lost (the client cannot answer the node's checks).</summary>
    public volatile bool DropChecksToClient;

    /// <summary>STUN requests from the node that reached the outside of the NAT.</summary>
    public int ChecksSeen => Volatile.Read(ref _checksSeen);
    private int _checksSeen;

    /// <summary>The outside moves to a new socket on <paramref name="outerAddress"/>; the old one is closed.</summary>
    public void Rebind(IPAddress outerAddress)
    {
        var old = Interlocked.Exchange(ref _outer, BindOuter(outerAddress));
        old.Dispose();
    }

    private Socket BindOuter(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        Start(() => OutsideLoop(socket));
        return socket;
    }

    private void Start(ThreadStart loop)
    {
        var thread = new Thread(loop) { IsBackground = true, Name = "test-nat" };
        lock (_threads)
            _threads.Add(thread);
        thread.Start();
    }

    private void InsideLoop()
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_disposed)
        {
            try
            {
                int length = _inner.ReceiveFrom(buffer, ref from);
                _client = from;
                Volatile.Read(ref _outer).SendTo(buffer.AsSpan(0, length), SocketFlags.None, _server);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
                if (_disposed)
                    return;
            }
        }
    }

    private void OutsideLoop(Socket socket)
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_disposed)
        {
            try
            {
                int length = socket.ReceiveFrom(buffer, ref from);
                // A STUN request (RFC 8489 §5: first two bits 0, class bits 0 in 0x0001) from the node is its check.
                bool isCheck = length >= 20 && buffer[0] == 0x00 && buffer[1] == 0x01;
                if (isCheck)
                    Interlocked.Increment(ref _checksSeen);
                if (isCheck && DropChecksToClient)
                    continue;
                if (_client is { } client)
                    _inner.SendTo(buffer.AsSpan(0, length), SocketFlags.None, client);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
                return; // rebound or disposed
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _inner.Dispose();
        Volatile.Read(ref _outer).Dispose();
        lock (_threads)
            foreach (var thread in _threads)
                thread.Join(TimeSpan.FromSeconds(1));
    }
}
