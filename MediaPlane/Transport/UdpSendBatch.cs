using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaPlane.Transport;

/// <summary>
/// Datagrams gathered for one send: the fan-out of one incoming packet to its subscribers, each already
/// protected in its own slot, goes to the kernel in one sendmmsg(2) per media socket instead of one
/// sendto per subscriber. Each datagram leaves through the socket its session uses (the local address
/// the client reached), exactly as <see cref="UdpReceiveSocket.SendTo"/> would send it.
/// <para>
/// Fill it on one thread: write a datagram into <see cref="Next"/>, then <see cref="Add"/> it; when
/// <see cref="IsFull"/> or the fan-out is done, <see cref="Flush"/>, then read <see cref="WasSent"/> for
/// each slot of that flush. Slots, iovecs, headers and addresses are pinned once per batch, so nothing
/// is allocated per datagram. Without sendmmsg (not Linux, or it failed with ENOSYS) the same slots go
/// out one <see cref="UdpReceiveSocket.SendTo"/> each.
/// </para>
/// </summary>
public sealed unsafe class UdpSendBatch
{
    /// <summary>Datagrams per batch (per sendmmsg call at most), as the kernel baseline batches 32-64.</summary>
    public const int Capacity = 64;

    /// <summary>Bytes per slot: the largest datagram plus the largest SRTP trailer.</summary>
    public const int SlotBytes = 2048;

    /// <summary>sizeof(struct sockaddr_storage).</summary>
    private const int NameBytes = 128;

    private static volatile bool s_sendMmsg = SendMmsg.IsSupported;

    [ThreadStatic]
    private static UdpSendBatch? t_batch;

    private readonly byte[] _slots = GC.AllocateUninitializedArray<byte>(Capacity * SlotBytes, pinned: true);
    private readonly byte[] _names = GC.AllocateArray<byte>(Capacity * NameBytes, pinned: true);
    private readonly SendMmsg.IoVec[] _iov = GC.AllocateArray<SendMmsg.IoVec>(Capacity, pinned: true);
    private readonly SendMmsg.MMsgHdr[] _headers = GC.AllocateArray<SendMmsg.MMsgHdr>(Capacity, pinned: true);
    private readonly UdpReceiveSocket?[] _sockets = new UdpReceiveSocket?[Capacity];
    private readonly SocketAddress?[] _addresses = new SocketAddress?[Capacity];
    private readonly int[] _lengths = new int[Capacity];
    private readonly bool[] _sent = new bool[Capacity];
    private int _count;
    private int _flushed;
    private readonly bool _useSendMmsg;

    public UdpSendBatch() : this(useSendMmsg: true)
    {
    }

    /// <param name="useSendMmsg">False: always one SendTo per datagram (the fallback, for tests and benchmarks).</param>
    internal UdpSendBatch(bool useSendMmsg)
    {
        _useSendMmsg = useSendMmsg;
        byte* slots = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_slots));
        byte* names = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_names));
        var iov = (SendMmsg.IoVec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_iov));
        for (int i = 0; i < Capacity; i++)
        {
            iov[i].Base = slots + i * SlotBytes;
            _headers[i].Header.Iov = iov + i;
            _headers[i].Header.IovLength = 1;
            _headers[i].Header.Name = names + i * NameBytes;
        }
    }

    /// <summary>This thread's batch (the receive thread that fans a packet out).</summary>
    public static UdpSendBatch ForCurrentThread => t_batch ??= new UdpSendBatch();

    /// <summary>Whether sends use sendmmsg (false: one SendTo per datagram).</summary>
    public bool UsesSendMmsg => _useSendMmsg && s_sendMmsg;

    /// <summary>Datagrams added since the last flush.</summary>
    public int Count => _count;

    public bool IsFull => _count == Capacity;

    /// <summary>The free slot the next datagram is written into (<see cref="SlotBytes"/> long).</summary>
    public Span<byte> Next => _slots.AsSpan(_count * SlotBytes, SlotBytes);

    /// <summary>Queues the first <paramref name="length"/> bytes of <see cref="Next"/> for <paramref name="remote"/>, sent from <paramref name="socket"/>.</summary>
    public void Add(UdpReceiveSocket socket, SocketAddress remote, int length)
    {
        if (_count == Capacity)
            throw new InvalidOperationException("The batch is full: flush it first.");
        if ((uint)length > SlotBytes)
            throw new ArgumentOutOfRangeException(nameof(length));
        var name = remote.Buffer.Span[..remote.Size];
        if (name.Length > NameBytes)
            throw new ArgumentException("Socket address too long.", nameof(remote));
        int i = _count++;
        name.CopyTo(_names.AsSpan(i * NameBytes, NameBytes));
        ref var header = ref _headers[i];
        header.Header.NameLength = (uint)name.Length;
        header.Header.Iov->Length = (nuint)length;
        header.Length = 0;
        _sockets[i] = socket;
        _addresses[i] = remote;
        _lengths[i] = length;
    }

    /// <summary>Whether slot <paramref name="index"/> of the last <see cref="Flush"/> left in full.</summary>
    public bool WasSent(int index) => (uint)index < (uint)_flushed && _sent[index];

    /// <summary>Sends every queued datagram and empties the batch. Never throws: a failed send is a lost datagram.</summary>
    /// <returns>How many were sent.</returns>
    public int Flush()
    {
        int count = _count;
        int sent = 0;
        int start = 0;
        while (start < count)
        {
            // Sockets of one SO_REUSEPORT group share their local address and port: any of them sends the same.
            var socket = _sockets[start]!;
            int end = start + 1;
            while (end < count && (ReferenceEquals(_sockets[end], socket) || _sockets[end]!.LocalEndPoint.Equals(socket.LocalEndPoint)))
                end++;
            sent += UsesSendMmsg ? SendRun(socket, start, end) : SendEach(start, end);
            start = end;
        }
        for (int i = 0; i < count; i++)
        {
            _sockets[i] = null;
            _addresses[i] = null;
        }
        _flushed = count;
        _count = 0;
        return sent;
    }

    private int SendRun(UdpReceiveSocket socket, int start, int end)
    {
        var handle = socket.Handle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            _sent.AsSpan(start, end - start).Clear();
            return 0;
        }
        int sent = 0;
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            int next = start;
            fixed (SendMmsg.MMsgHdr* headers = _headers)
            {
                while (next < end)
                {
                    int done;
                    try
                    {
                        done = SendMmsg.Send(fd, headers + next, (uint)(end - next), 0);
                    }
                    catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
                    {
                        s_sendMmsg = false;
                        return sent + SendEach(next, end);
                    }
                    if (done > 0)
                    {
                        for (int i = next; i < next + done; i++)
                        {
                            bool whole = headers[i].Length == (uint)_lengths[i];
                            _sent[i] = whole;
                            sent += whole ? 1 : 0;
                        }
                        next += done;
                        continue;
                    }
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == SendMmsg.EIntr)
                        continue;
                    if (errno is SendMmsg.ENoSys or SendMmsg.EOpNotSupp)
                    {
                        s_sendMmsg = false;
                        return sent + SendEach(next, end);
                    }
                    // The error belongs to the first unsent datagram: it is lost, as a failed SendTo would be; go on with the rest.
                    _sent[next++] = false;
                }
            }
            return sent;
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private int SendEach(int start, int end)
    {
        int sent = 0;
        for (int i = start; i < end; i++)
        {
            bool ok = _sockets[i]!.SendTo(_slots.AsSpan(i * SlotBytes, _lengths[i]), _addresses[i]!);
            _sent[i] = ok;
            sent += ok ? 1 : 0;
        }
        return sent;
    }
}
