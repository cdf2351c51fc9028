using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.Routing;

/// <summary>
/// Sends one incoming packet to every consumer of its producer as one batch: each consumer rewrites and
/// protects its copy straight into a slot of this thread's <see cref="UdpSendBatch"/>, and the batch goes
/// to the kernel in one sendmmsg per media socket (every <see cref="UdpSendBatch.Capacity"/> datagrams at
/// most). Which consumer queued which slot is kept here, so the consumers' sent counters only count what
/// left, as with one send per datagram. Nothing is allocated per packet.
/// </summary>
internal sealed class FanOut
{
    [ThreadStatic]
    private static FanOut? t_fanOut;

    private readonly UdpSendBatch _batch = UdpSendBatch.ForCurrentThread;
    private readonly Consumer?[] _queued = new Consumer?[UdpSendBatch.Capacity];
    private readonly int[] _octets = new int[UdpSendBatch.Capacity];

    public static FanOut ForCurrentThread => t_fanOut ??= new FanOut();

    /// <param name="layer">The simulcast layer the packet belongs to (0 for a plain track).</param>
    public void Send(ReadOnlySpan<byte> packet, in RtpPacketReader header, int layer, Consumer[] consumers)
    {
        try
        {
            foreach (var consumer in consumers)
            {
                int slot = _batch.Count;
                if (!consumer.Queue(packet, header, layer, _batch, out int octets))
                    continue;
                _queued[slot] = consumer;
                _octets[slot] = octets;
                if (_batch.IsFull)
                    Flush();
            }
        }
        finally
        {
            // Also when a consumer threw: what was queued goes now, not with the next packet.
            if (_batch.Count > 0)
                Flush();
        }
    }

    private void Flush()
    {
        int count = _batch.Count;
        _batch.Flush();
        for (int i = 0; i < count; i++)
        {
            if (_batch.WasSent(i))
                _queued[i]!.OnSent(_octets[i]);
            _queued[i] = null;
        }
    }
}
