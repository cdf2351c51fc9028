using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Rtc.TestClient;

namespace Benchmarks.Load;

/// <summary>
/// Receives for many client transports on a few threads (Linux epoll(7)), so the load generator does not
/// pay one thread wake-up per packet per subscriber: a publisher's packet reaches all subscribers' sockets
/// at once, and one epoll_wait returns them together. Each ready socket is drained with non-blocking
/// recvfrom(2) and its datagrams handed to <see cref="WebRtcClientTransport.Deliver"/>.
/// With <c>spin</c> a thread polls (epoll_wait with a zero timeout) instead of sleeping: then a server's send
/// never has to wake a receiver, a wake-up that on one machine the kernel charges to the sending server (on
/// this VM tens of µs each) and that over a network nobody pays. It costs the load generator one core.
/// </summary>
public sealed unsafe class EpollReceiver : IDisposable
{
    private const int EpollIn = 0x001;
    private const int EpollCtlAdd = 1;
    private const int MsgDontWait = 0x40;
    private const int MaxEvents = 256;
    private readonly int[] _epolls;
    private readonly Thread[] _threads;
    private readonly Dictionary<int, WebRtcClientTransport> _byFd = [];
    private readonly Lock _lock = new();
    private readonly bool _spin;
    private volatile bool _stopped;
    private int _next;

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, EpollEvent* events, int maxEvents, int timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern nint recvfrom(int fd, byte* buffer, nint length, int flags, byte* address, int* addressLength);

    [DllImport("libc")]
    private static extern int close(int fd);

    public EpollReceiver(int threads, bool spin = false)
    {
        _spin = spin;
        _epolls = new int[threads];
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _epolls[i] = epoll_create1(0);
            if (_epolls[i] < 0)
                throw new InvalidOperationException($"epoll_create1 failed: {Marshal.GetLastPInvokeError()}");
            int epoll = _epolls[i];
            _threads[i] = new Thread(() => Loop(epoll)) { IsBackground = true, Name = $"epoll-rx-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Starts receiving for a transport made with ExternalReceive = true (before it connects).</summary>
    public void Add(WebRtcClientTransport transport)
    {
        var socket = transport.Socket;
        socket.Blocking = false;
        // ~2 s of one subscriber's packets: a load generator thread that the (shared) machine preempts for a
        // moment should not turn that moment into loss charged to the server.
        socket.ReceiveBufferSize = 4 << 20;
        int fd = (int)socket.Handle;
        lock (_lock)
            _byFd[fd] = transport;
        var ev = new EpollEvent { Events = EpollIn, Data = (ulong)fd };
        if (epoll_ctl(_epolls[Interlocked.Increment(ref _next) % _epolls.Length], EpollCtlAdd, fd, &ev) != 0)
            throw new InvalidOperationException($"epoll_ctl failed: {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Stops delivering to a transport; call before disposing it (closing the socket removes it from epoll).</summary>
    public void Remove(WebRtcClientTransport transport)
    {
        lock (_lock)
            _byFd.Remove((int)transport.Socket.Handle);
    }

    private void Loop(int epoll)
    {
        var events = stackalloc EpollEvent[MaxEvents];
        var buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var address = stackalloc byte[128];
        while (!_stopped)
        {
            int n = epoll_wait(epoll, events, MaxEvents, _spin ? 0 : 200);
            for (int e = 0; e < n; e++)
            {
                int fd = (int)events[e].Data;
                WebRtcClientTransport? transport;
                lock (_lock)
                    _byFd.TryGetValue(fd, out transport);
                if (transport is null)
                    continue;
                fixed (byte* data = buffer)
                {
                    while (true)
                    {
                        int addressLength = 128;
                        nint length = recvfrom(fd, data, buffer.Length, MsgDontWait, address, &addressLength);
                        if (length < 0)
                            break; // EAGAIN: drained (or the socket closed)
                        // Linux's sockaddr_in is what SocketAddress holds on this platform: family, port, address.
                        var raw = new ReadOnlySpan<byte>(address, Math.Min(addressLength, from.Buffer.Length));
                        raw.CopyTo(from.Buffer.Span);
                        from.Size = raw.Length;
                        try
                        {
                            transport.Deliver(buffer.AsSpan(0, (int)length), from);
                        }
                        catch (ObjectDisposedException)
                        {
                            break;
                        }
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        _stopped = true;
        foreach (var thread in _threads)
            thread.Join(TimeSpan.FromSeconds(1));
        foreach (var epoll in _epolls)
            close(epoll);
    }
}
