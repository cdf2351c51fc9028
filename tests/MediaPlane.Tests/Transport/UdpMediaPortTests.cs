using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MediaPlane.Transport;

namespace MediaPlane.Tests.Transport;

public class UdpMediaPortTests
{
    /// <summary>Answers every datagram with its own bytes, from the socket that received it.</summary>
    private sealed class EchoHandler : IDatagramHandler
    {
        public readonly ConcurrentDictionary<EndpointKey, int> ReceiversByClient = new();

        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
        {
            ReceiversByClient[meta.Remote] = meta.Socket.GetHashCode();
            meta.Socket.SendTo(datagram, meta.RemoteAddress);
        }
    }

    private sealed class ThrowingHandler : IDatagramHandler
    {
        public int Calls;

        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
        {
            Interlocked.Increment(ref Calls);
            if (datagram[0] == 0xFF)
                throw new InvalidOperationException("handler bug");
            meta.Socket.SendTo(datagram, meta.RemoteAddress);
        }
    }

    private static MediaPortOptions Loopback(int loops) => new() { BindAddress = "127.0.0.1", Port = 0, ReceiveLoops = loops };

    [Fact]
    public async Task Every_client_uses_one_port_and_is_answered_from_it()
    {
        var handler = new EchoHandler();
        using var port = new UdpMediaPort(Loopback(loops: 2), handler);
        port.Start();
        var server = new IPEndPoint(IPAddress.Loopback, port.Port);

        port.Sockets.Should().HaveCount(2).And.OnlyContain(s => s.LocalEndPoint.Port == port.Port);

        var clients = Enumerable.Range(0, 8).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))).ToList();
        try
        {
            foreach (var (client, i) in clients.Select((c, i) => (c, i)))
            {
                for (int n = 0; n < 20; n++)
                {
                    byte[] payload = [(byte)i, (byte)n, 1, 2, 3];
                    await client.SendAsync(payload, server);
                    var reply = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
                    reply.RemoteEndPoint.Should().Be(server, "the reply must come from the address and port the client reached");
                    reply.Buffer.Should().Equal(payload);
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        handler.ReceiversByClient.Should().HaveCount(8);
        port.DatagramsReceived.Should().Be(8 * 20);
    }

    [Fact]
    public async Task A_throwing_handler_is_counted_and_the_port_keeps_serving()
    {
        var handler = new ThrowingHandler();
        using var port = new UdpMediaPort(Loopback(loops: 1), handler);
        port.Start();
        var server = new IPEndPoint(IPAddress.Loopback, port.Port);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(new byte[] { 0xFF }, server);
        await client.SendAsync(new byte[] { 0x01, 0x02 }, server);
        var reply = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));

        reply.Buffer.Should().Equal(0x01, 0x02);
        port.Sockets.Sum(s => s.HandlerFailures).Should().Be(1);
    }

    [Fact]
    public void Wildcard_bind_binds_loopback_and_other_local_addresses_on_the_same_port()
    {
        using var port = new UdpMediaPort(new MediaPortOptions { Port = 0, ReceiveLoops = 1 }, new EchoHandler());

        port.Sockets.Select(s => s.LocalEndPoint.Address).Should().Contain(IPAddress.Loopback);
        port.Sockets.Should().OnlyContain(s => s.LocalEndPoint.Port == port.Port);
        port.AdvertisedAddress.Should().Be(IPAddress.Loopback);
    }

    private sealed class CountingHandler : IDatagramHandler
    {
        public readonly ConcurrentDictionary<(int Port, byte Sender), int> Received = new();

        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
        {
            if (datagram.Length == 1200 && meta.RemoteAddress.Family == AddressFamily.InterNetwork)
                Received.AddOrUpdate((meta.Remote.Port, datagram[0]), 1, (_, n) => n + 1);
        }
    }

    [Fact]
    public async Task A_burst_from_several_clients_is_read_in_batches_with_each_senders_address()
    {
        var handler = new CountingHandler();
        using var port = new UdpMediaPort(Loopback(loops: 1), handler);
        port.Start();
        bool batchesOff = Environment.GetEnvironmentVariable("MEDIAPLANE_NO_RECVMMSG") == "1";
        port.Sockets[0].ReceivesInBatches.Should().Be(OperatingSystem.IsLinux() && !batchesOff, "recvmmsg on Linux, one datagram per call elsewhere");
        var server = new IPEndPoint(IPAddress.Loopback, port.Port);
        var clients = Enumerable.Range(0, 4).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))).ToList();
        try
        {
            // 4 x 50 datagrams of 1200 bytes fit the socket's buffer: none is lost, all come as bursts.
            for (int n = 0; n < 50; n++)
                foreach (var (client, i) in clients.Select((c, i) => (c, i)))
                    client.Send(Enumerable.Repeat((byte)i, 1200).ToArray(), 1200, server);

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (handler.Received.Values.Sum() < 200 && DateTime.UtcNow < deadline)
                await Task.Delay(20);

            handler.Received.Should().HaveCount(4);
            foreach (var (client, i) in clients.Select((c, i) => (c, i)))
                handler.Received[(((IPEndPoint)client.Client.LocalEndPoint!).Port, (byte)i)].Should().Be(50, "every datagram arrives once, with its sender's port");
            port.DatagramsReceived.Should().Be(200);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}


public class UdpMediaPortOwnershipTests
{
    [Fact]
    public void A_second_media_port_on_the_same_port_is_refused_instead_of_sharing_it()
    {
        using var first = new UdpMediaPort(new MediaPortOptions { BindAddress = "127.0.0.1", Port = 0, ReceiveLoops = 2 }, new NullHandler());

        var second = () => new UdpMediaPort(new MediaPortOptions { BindAddress = "127.0.0.1", Port = first.Port, ReceiveLoops = 1 }, new NullHandler());

        second.Should().Throw<InvalidOperationException>().WithMessage("*already in use*");
    }

    private sealed class NullHandler : IDatagramHandler
    {
        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
        {
        }
    }
}
