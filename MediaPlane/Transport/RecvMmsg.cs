using System.Runtime.InteropServices;

namespace MediaPlane.Transport;

/// <summary>
/// Linux's recvmmsg(2): every datagram waiting on a socket, up to a batch, in one system call, each with
/// its sender's address. Same structures as <see cref="SendMmsg"/>. With MSG_WAITFORONE the call blocks
/// (up to the socket's SO_RCVTIMEO) only for the first datagram and returns what else is already queued.
/// </summary>
internal static unsafe partial class RecvMmsg
{
    public const int MsgWaitForOne = 0x10000;
    public const int MsgTrunc = 0x20;
    public const int EAgain = 11;
    public const int EIntr = 4;

    /// <summary>64-bit Linux (glibc): elsewhere, or with MEDIAPLANE_NO_RECVMMSG=1, the loop reads one datagram per call.</summary>
    public static readonly bool IsSupported =
        OperatingSystem.IsLinux() && Environment.Is64BitProcess && sizeof(SendMmsg.MMsgHdr) == 64
        && Environment.GetEnvironmentVariable("MEDIAPLANE_NO_RECVMMSG") != "1";

    /// <returns>How many messages were received, or -1 (errno in Marshal.GetLastPInvokeError).</returns>
    [LibraryImport("libc.so.6", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int Receive(int fd, SendMmsg.MMsgHdr* messages, uint count, int flags, void* timeout);
}
