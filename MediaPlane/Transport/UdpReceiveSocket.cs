using System.Net;
using System.Net.Sockets;

namespace MediaPlane.Transport;

/// <summary>
/// One socket of the media port's SO_REUSEPORT group, bound to one local address, with its own
/// receive thread. The kernel spreads clients over the group by their address tuple, so one client's
/// packets always reach the same thread and stay in order.
/// </summary>
public sealed class UdpReceiveSocket : IDisposable
{
    // Linux values; .NET has no named option for SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;
    private const int MaxDatagram = 2048;

    private readonly Socket _socket;
    private readonly IDatagramHandler _handler;
    private readonly Thread _thread;
    private readonly TimeSpan? _timeSlice;
    private volatile bool _stopping;

    public UdpReceiveSocket(IPEndPoint bind, IDatagramHandler handler, int bufferBytes, string name, TimeSpan? timeSlice = null)
    {
        _handler = handler;
        _timeSlice = timeSlice;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
        _socket.ReceiveBufferSize = bufferBytes;
        _socket.SendBufferSize = bufferBytes;
        _socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = name };
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The socket's handle, for <see cref="UdpSendBatch"/>'s sendmmsg.</summary>
    internal SafeSocketHandle Handle => _socket.SafeHandle;

    public long DatagramsReceived => Interlocked.Read(ref _received);
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);
    private long _received;
    private long _handlerFailures;

    public void Start() => _thread.Start();

    /// <summary>Sends from this socket's local address. Never throws: a failed send is a lost datagram.</summary>
    public bool SendTo(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, remote) == datagram.Length;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>A copy of a receive loop's address, for keeping as a session's destination.</summary>
    public SocketAddress CopyAddress(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span.CopyTo(copy.Buffer.Span);
        return copy;
    }

    /// <summary>Whether this socket's receive thread got a short scheduler slice (<see cref="ThreadTimeSlice"/>).</summary>
    public bool ShortTimeSlice { get; private set; }

    /// <summary>The receive thread's /proc/&lt;pid&gt;/task/&lt;tid&gt; directory on Linux, once it runs (diagnostics, tests).</summary>
    internal string? ThreadProcDirectory { get; private set; }

    private void ReceiveLoop()
    {
        ShortTimeSlice = _timeSlice is { } slice && ThreadTimeSlice.TrySetCurrent(slice);
        if (OperatingSystem.IsLinux())
            ThreadProcDirectory = Directory.ResolveLinkTarget("/proc/thread-self", returnFinalTarget: false)?.FullName;
        // One buffer and one address per thread, reused for every datagram: nothing allocated per packet.
        var buffer = GC.AllocateArray<byte>(MaxDatagram, pinned: true);
        var remote = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, remote);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue; // ICMP unreachable from an earlier send, or an oversized datagram: not fatal.
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _received);
            if (!EndpointKey.TryCreate(remote, out var key))
                continue;
            try
            {
                _handler.OnDatagram(buffer.AsSpan(0, length), new ReceivedDatagram(key, remote, this));
            }
            catch (Exception)
            {
                // A handler bug must not stop the port for everyone; the count shows it happened.
                Interlocked.Increment(ref _handlerFailures);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
            _thread.Join(TimeSpan.FromSeconds(2));
    }
}
