using System.Buffers;
using Org.BouncyCastle.Tls;

namespace MediaPlane.Dtls;

/// <summary>
/// BouncyCastle's blocking <see cref="DatagramTransport"/> over a bounded in-memory queue. The media plane
/// owns the socket: it copies DTLS datagrams in with <see cref="TryEnqueue"/>; BouncyCastle's handshake
/// thread takes them out with a blocking <see cref="Receive(Span{byte}, int)"/> and sends through the
/// caller's <see cref="DtlsDatagramSender"/>. A full queue drops the datagram, as a socket buffer would.
/// </summary>
internal sealed class QueuedDatagramTransport : DatagramTransport
{
    private readonly Lock gate = new();
    private readonly Queue<(byte[] Buffer, int Length)> queue;
    private readonly SemaphoreSlim available = new(0);
    private readonly DtlsDatagramSender sender;
    private readonly int capacity;
    private readonly int receiveLimit;
    private readonly int sendLimit;
    private CancellationToken cancellation;
    private bool closed;
    private long dropped;
    private long sendFailures;

    public QueuedDatagramTransport(DtlsDatagramSender sender, int capacity, int receiveLimit, int sendLimit)
    {
        this.sender = sender;
        this.capacity = capacity;
        this.receiveLimit = receiveLimit;
        this.sendLimit = sendLimit;
        queue = new Queue<(byte[], int)>(capacity);
    }

    public long DroppedDatagrams => Interlocked.Read(ref dropped);

    public long SendFailures => Interlocked.Read(ref sendFailures);

    public int Count
    {
        get
        {
            lock (gate)
                return queue.Count;
        }
    }

    /// <summary>Blocking receives throw <see cref="OperationCanceledException"/> once this token is cancelled.</summary>
    public void SetCancellation(CancellationToken token) => cancellation = token;

    /// <summary>Copies a datagram into the queue; false when closed, full or oversized.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty || datagram.Length > receiveLimit)
        {
            Interlocked.Increment(ref dropped);
            return false;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        lock (gate)
        {
            if (closed || queue.Count >= capacity)
            {
                Interlocked.Increment(ref dropped);
                ArrayPool<byte>.Shared.Return(buffer);
                return false;
            }
            queue.Enqueue((buffer, datagram.Length));
        }
        available.Release();
        return true;
    }

    public int GetReceiveLimit() => receiveLimit;

    public int GetSendLimit() => sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>BouncyCastle contract: wait up to <paramref name="waitMillis"/> (0 = no limit) and return -1 on timeout.</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        int timeout = waitMillis <= 0 ? Timeout.Infinite : waitMillis;
        if (!available.Wait(timeout, cancellation))
            return -1;
        (byte[] Buffer, int Length) item;
        lock (gate)
        {
            // Close() may have emptied the queue after the semaphore was released.
            if (!queue.TryDequeue(out item))
                return -1;
        }
        // Like a UDP socket: a datagram larger than the buffer is truncated.
        int length = Math.Min(item.Length, buffer.Length);
        item.Buffer.AsSpan(0, length).CopyTo(buffer);
        ArrayPool<byte>.Shared.Return(item.Buffer);
        return length;
    }

    /// <summary>Non-blocking: true when a datagram is waiting.</summary>
    public bool HasPending => Count > 0;

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        try
        {
            sender(buffer);
        }
        catch (Exception)
        {
            // UDP semantics: a failed send is a lost datagram; DTLS retransmission recovers.
            Interlocked.Increment(ref sendFailures);
        }
    }

    /// <summary>Called by BouncyCastle when the DTLS connection ends; later datagrams are dropped.</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            while (queue.TryDequeue(out var item))
                ArrayPool<byte>.Shared.Return(item.Buffer);
        }
    }
}
