using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaPlane.Transport;

/// <summary>
/// One receive loop's recvmmsg buffers: <see cref="Capacity"/> datagram slots and sender addresses, pinned
/// and filled by one system call (<see cref="RecvMmsg"/>). Allocated once per loop; nothing per datagram.
/// </summary>
internal sealed unsafe class UdpReceiveBatch
{
    public const int Capacity = 32;
    public const int MaxDatagram = 2048;
    private const int NameSize = 128; // sizeof(struct sockaddr_storage)

    private readonly byte[] _data = GC.AllocateArray<byte>(Capacity * MaxDatagram, pinned: true);
    private readonly byte[] _names = GC.AllocateArray<byte>(Capacity * NameSize, pinned: true);
    private readonly SendMmsg.IoVec[] _vectors = GC.AllocateArray<SendMmsg.IoVec>(Capacity, pinned: true);
    private readonly SendMmsg.MMsgHdr[] _headers = GC.AllocateArray<SendMmsg.MMsgHdr>(Capacity, pinned: true);

    public UdpReceiveBatch()
    {
        for (int i = 0; i < Capacity; i++)
        {
            _vectors[i].Base = (byte*)Unsafe.AsPointer(ref _data[i * MaxDatagram]);
            _headers[i].Header.Name = (byte*)Unsafe.AsPointer(ref _names[i * NameSize]);
            _headers[i].Header.Iov = (SendMmsg.IoVec*)Unsafe.AsPointer(ref _vectors[i]);
            _headers[i].Header.IovLength = 1;
        }
    }

    /// <summary>
    /// Waits (up to the socket's receive timeout) for datagrams and takes up to <see cref="Capacity"/>.
    /// </summary>
    /// <returns>How many arrived; 0 on timeout or interruption; -1 when the socket is gone.</returns>
    public int Receive(SafeSocketHandle handle)
    {
        for (int i = 0; i < Capacity; i++)
        {
            _vectors[i].Length = MaxDatagram;
            _headers[i].Header.NameLength = NameSize;
            _headers[i].Header.Flags = 0;
            _headers[i].Length = 0;
        }
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int count;
            fixed (SendMmsg.MMsgHdr* headers = _headers)
                count = RecvMmsg.Receive((int)handle.DangerousGetHandle(), headers, Capacity, RecvMmsg.MsgWaitForOne, null);
            if (count >= 0)
                return count;
            int errno = Marshal.GetLastPInvokeError();
            return errno is RecvMmsg.EAgain or RecvMmsg.EIntr ? 0 : -1;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    /// <summary>Datagram <paramref name="index"/> of the last receive; false when it was truncated (larger than a slot).</summary>
    public bool TryGet(int index, SocketAddress remote, out Span<byte> datagram)
    {
        ref var header = ref _headers[index];
        datagram = _data.AsSpan(index * MaxDatagram, (int)Math.Min(header.Length, MaxDatagram));
        if ((header.Header.Flags & RecvMmsg.MsgTrunc) != 0)
            return false;
        int nameLength = (int)Math.Min(header.Header.NameLength, (uint)remote.Buffer.Length);
        _names.AsSpan(index * NameSize, nameLength).CopyTo(remote.Buffer.Span);
        remote.Size = nameLength;
        return true;
    }
}
