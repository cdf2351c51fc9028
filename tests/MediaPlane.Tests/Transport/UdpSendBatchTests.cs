using System.Net;
using System.Net.Sockets;
using MediaPlane.Transport;

namespace MediaPlane.Tests.Transport;

public class UdpSendBatchTests
{
    private sealed class IgnoreHandler : IDatagramHandler
    {
        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
        {
        }
    }

    private static UdpReceiveSocket Sender() =>
        new(new IPEndPoint(IPAddress.Loopback, 0), new IgnoreHandler(), 1 << 20, "batch-test");

    private static List<Socket> Receivers(int count) => Enumerable.Range(0, count).Select(_ =>
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }).ToList();

    private static SocketAddress AddressOf(Socket receiver) => ((IPEndPoint)receiver.LocalEndPoint!).Serialize();

    /// <summary>Datagram <paramref name="n"/> for receiver <paramref name="r"/>: its length and every byte say which it is.</summary>
    private static int Fill(Span<byte> slot, int r, int n)
    {
        int length = 100 + (r * 37 + n * 11) % 1100;
        for (int i = 0; i < length; i++)
            slot[i] = (byte)(r * 31 + n * 7 + i);
        return length;
    }

    private static byte[] Expected(int r, int n)
    {
        var bytes = new byte[2048];
        return bytes.AsSpan(0, Fill(bytes, r, n)).ToArray();
    }

    private static (byte[] Bytes, IPEndPoint From) Receive(Socket receiver)
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        receiver.ReceiveTimeout = 5000;
        int length = receiver.ReceiveFrom(buffer, ref from);
        return (buffer[..length], (IPEndPoint)from);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Datagrams_of_several_flushes_arrive_intact_in_order_from_the_sending_socket(bool useSendMmsg)
    {
        using var sender = Sender();
        var receivers = Receivers(8);
        try
        {
            var batch = new UdpSendBatch(useSendMmsg);
            batch.UsesSendMmsg.Should().Be(useSendMmsg && OperatingSystem.IsLinux());
            var addresses = receivers.Select(AddressOf).ToList();
            const int perReceiver = 20; // 160 datagrams: two full batches of 64 and one of 32
            int sent = 0;
            for (int n = 0; n < perReceiver; n++)
            {
                for (int r = 0; r < receivers.Count; r++)
                {
                    batch.Add(sender, addresses[r], Fill(batch.Next, r, n));
                    if (batch.IsFull)
                        sent += FlushAll(batch);
                }
            }
            sent += FlushAll(batch);
            sent.Should().Be(perReceiver * receivers.Count);

            for (int r = 0; r < receivers.Count; r++)
            {
                for (int n = 0; n < perReceiver; n++)
                {
                    var (bytes, from) = Receive(receivers[r]);
                    from.Should().Be(sender.LocalEndPoint, "each datagram leaves from the socket its session uses");
                    bytes.Should().Equal(Expected(r, n), $"datagram {n} for receiver {r}");
                }
                receivers[r].Available.Should().Be(0);
            }
        }
        finally
        {
            receivers.ForEach(s => s.Dispose());
        }
    }

    private static int FlushAll(UdpSendBatch batch)
    {
        int count = batch.Count;
        int sent = batch.Flush();
        for (int i = 0; i < count; i++)
            batch.WasSent(i).Should().BeTrue();
        batch.WasSent(count).Should().BeFalse();
        batch.Count.Should().Be(0);
        return sent;
    }

    [Fact]
    public void Each_datagram_leaves_from_its_own_socket_when_a_batch_mixes_sockets()
    {
        using var first = Sender();
        using var second = Sender();
        var receivers = Receivers(6);
        try
        {
            var batch = new UdpSendBatch();
            var addresses = receivers.Select(AddressOf).ToList();
            // first, first, second, second, first, second: three runs, the last two of length one.
            UdpReceiveSocket[] via = [first, first, second, second, first, second];
            for (int r = 0; r < receivers.Count; r++)
                batch.Add(via[r], addresses[r], Fill(batch.Next, r, 0));
            batch.Flush().Should().Be(receivers.Count);

            for (int r = 0; r < receivers.Count; r++)
            {
                var (bytes, from) = Receive(receivers[r]);
                from.Should().Be(via[r].LocalEndPoint);
                bytes.Should().Equal(Expected(r, 0));
            }
        }
        finally
        {
            receivers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void A_closed_socket_loses_its_datagrams_without_throwing_and_the_others_still_go()
    {
        using var open = Sender();
        var closed = Sender();
        closed.Dispose();
        var receivers = Receivers(2);
        try
        {
            var batch = new UdpSendBatch();
            batch.Add(closed, AddressOf(receivers[0]), Fill(batch.Next, 0, 0));
            batch.Add(open, AddressOf(receivers[1]), Fill(batch.Next, 1, 0));
            batch.Flush().Should().Be(1);
            batch.WasSent(0).Should().BeFalse();
            batch.WasSent(1).Should().BeTrue();
            Receive(receivers[1]).Bytes.Should().Equal(Expected(1, 0));
        }
        finally
        {
            receivers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Filling_and_flushing_a_fan_out_of_50_allocates_nothing()
    {
        using var sender = Sender();
        var receivers = Receivers(50);
        try
        {
            var batch = new UdpSendBatch();
            var addresses = receivers.Select(AddressOf).ToArray();
            var payload = new byte[1200];
            long sent = 0;
            // Receivers are never read: once their buffers are full the kernel drops on loopback, the sends still succeed.
            long allocated = SteadyStateAllocations.Measure(() =>
            {
                foreach (var address in addresses)
                {
                    payload.CopyTo(batch.Next);
                    batch.Add(sender, address, payload.Length);
                }
                sent += batch.Flush();
            }, callsPerRound: 50, warmUpCalls: 20);
            allocated.Should().Be(0);
            sent.Should().BeGreaterThan(0);
            batch.UsesSendMmsg.Should().Be(OperatingSystem.IsLinux());
        }
        finally
        {
            receivers.ForEach(s => s.Dispose());
        }
    }
}
