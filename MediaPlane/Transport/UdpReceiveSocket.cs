using System.Net;
using System.Net.Sockets;

namespace MediaPlane.Transport;

/// <summary>
/// One socket of the media port's SO_REUSEPORT group, bound to one local address, with its own
/// receive thread: a receive loop. The kernel spreads clients over the group by their address tuple, so
/// one client's packets always reach the same thread and stay in order. The loop reads bursts with
/// recvmmsg where it can and, between bursts, runs the work other threads posted to it
/// (<see cref="LoopWorkQueue"/> describes who owns what).
/// </summary>
public sealed class UdpReceiveSocket : IDisposable
{
    // Linux values; .NET has no named option for SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;
    private const int SoReceiveTimeout = 20;
    private const int WorkCapacity = 4096;
    /// <summary>How long an idle loop sleeps before it looks at its posted work (and at whether to stop).</summary>
    private const int WakeInterval = 5_000; // µs

    private readonly Socket _socket;
    private readonly IDatagramHandler _handler;
    private readonly Thread _thread;
    private readonly TimeSpan? _timeSlice;
    private readonly LoopWorkQueue _work = new(WorkCapacity);
    private readonly UdpReceiveBatch? _batch;
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
        if (RecvMmsg.IsSupported)
        {
            // struct timeval { long tv_sec; long tv_usec; }: recvmmsg returns EAGAIN when idle this long.
            Span<byte> timeout = stackalloc byte[16];
            BitConverter.TryWriteBytes(timeout, 0L);
            BitConverter.TryWriteBytes(timeout[8..], (long)WakeInterval);
            _socket.SetRawSocketOption(SolSocket, SoReceiveTimeout, timeout);
            _batch = new UdpReceiveBatch();
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = name };
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The socket's handle, for <see cref="UdpSendBatch"/>'s sendmmsg.</summary>
    internal SafeSocketHandle Handle => _socket.SafeHandle;

    public long DatagramsReceived => Volatile.Read(ref _received);
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);
    /// <summary>Work posted while this loop's mailbox was full (lost: a NACK or report not answered).</summary>
    public long WorkDropped => Interlocked.Read(ref _workDropped);
    /// <summary>Whether this loop reads with recvmmsg (Linux) rather than one datagram per call.</summary>
    public bool ReceivesInBatches => _batch is not null;
    private long _received; // written by the loop only
    private long _handlerFailures;
    private long _workDropped;

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
        LoopThread.Enter();
        try
        {
            if (_batch is { } batch)
                ReceiveBatches(batch);
            else
                ReceiveOneByOne();
        }
        finally
        {
            LoopThread.Exit();
        }
    }

    /// <summary>recvmmsg: one system call per burst; posted work runs after each burst, and at least every wake interval.</summary>
    private void ReceiveBatches(UdpReceiveBatch batch)
    {
        var remote = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int count = batch.Receive(_socket.SafeHandle);
            if (count < 0)
                return;
            Volatile.Write(ref _received, _received + count);
            for (int i = 0; i < count; i++)
            {
                if (batch.TryGet(i, remote, out var datagram))
                    Deliver(datagram, remote);
            }
            RunPostedWork();
        }
    }

    private void ReceiveOneByOne()
    {
        // One buffer and one address per thread, reused for every datagram: nothing allocated per packet.
        var buffer = GC.AllocateArray<byte>(UdpReceiveBatch.MaxDatagram, pinned: true);
        var remote = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            RunPostedWork();
            int length;
            try
            {
                if (!_socket.Poll(WakeInterval, SelectMode.SelectRead))
                    continue;
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
            Volatile.Write(ref _received, _received + 1);
            Deliver(buffer.AsSpan(0, length), remote);
        }
    }

    private void Deliver(Span<byte> datagram, SocketAddress remote)
    {
        if (!EndpointKey.TryCreate(remote, out var key))
            return;
        try
        {
            _handler.OnDatagram(datagram, new ReceivedDatagram(key, remote, this));
        }
        catch (Exception)
        {
            // A handler bug must not stop the port for everyone; the count shows it happened.
            Interlocked.Increment(ref _handlerFailures);
        }
    }

    /// <summary>
    /// Posts work to this loop (<see cref="LoopWorkQueue"/>): it runs on this socket's thread after the
    /// current burst, or within the wake interval when idle. False (and counted) when the mailbox is full.
    /// </summary>
    internal bool Post(in LoopWork work)
    {
        if (_work.TryPost(work))
            return true;
        Interlocked.Increment(ref _workDropped);
        return false;
    }

    /// <summary>Whether the calling thread is this socket's receive loop.</summary>
    internal bool IsCurrentThread => Thread.CurrentThread == _thread;

    private void RunPostedWork()
    {
        // Bounded: work that re-posts itself (its producer moved loops) waits for the next round.
        for (int i = 0; i < _work.Capacity && _work.TryTake(out var work); i++)
        {
            try
            {
                work.Handler.Run(work, this);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _handlerFailures);
            }
        }
    }

    public void Dispose()
    {
        // The loop wakes at least every wake interval and sees the flag; the socket goes once it has left.
        _stopping = true;
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
            _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}
