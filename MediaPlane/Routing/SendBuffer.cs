namespace MediaPlane.Routing;

/// <summary>
/// A pinned scratch buffer per thread for building outgoing packets: a forwarded packet is copied here,
/// rewritten, protected in place and sent, so no packet allocates. Room for the largest datagram plus
/// the largest SRTP/SRTCP trailer.
/// </summary>
internal static class SendBuffer
{
    public const int Size = 2048;

    [ThreadStatic]
    private static byte[]? t_buffer;

    public static byte[] ForCurrentThread => t_buffer ??= GC.AllocateUninitializedArray<byte>(Size, pinned: true);
}
