using System.Runtime.InteropServices;

namespace MediaPlane.Transport;

/// <summary>
/// Linux's sendmmsg(2): several datagrams, each with its own destination, in one system call. The
/// structures are libc's on 64-bit Linux (LP64; natural alignment gives the same padding as C):
/// <code>
/// struct iovec   { void *iov_base; size_t iov_len; };                                   // 16 bytes
/// struct msghdr  { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
///                  void *msg_control; size_t msg_controllen; int msg_flags; };            // 56 bytes
/// struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };                       // 64 bytes
/// </code>
/// Only <see cref="UdpSendBatch"/> uses this, and only where <see cref="IsSupported"/>.
/// </summary>
internal static unsafe partial class SendMmsg
{
    public const int EIntr = 4;
    public const int ENoSys = 38;
    public const int EOpNotSupp = 95;

    /// <summary>64-bit Linux (glibc): elsewhere, or with MEDIAPLANE_NO_SENDMMSG=1, every datagram goes through Socket.SendTo.</summary>
    public static readonly bool IsSupported =
        OperatingSystem.IsLinux() && Environment.Is64BitProcess && sizeof(MMsgHdr) == 64
        && Environment.GetEnvironmentVariable("MEDIAPLANE_NO_SENDMMSG") != "1";

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <returns>How many of the first messages were sent, or -1 (errno in Marshal.GetLastPInvokeError) when the first failed.</returns>
    [LibraryImport("libc.so.6", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int Send(int fd, MMsgHdr* messages, uint count, int flags);
}
