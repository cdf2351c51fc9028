using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using MediaPlane.Transport;

namespace Benchmarks;

/// <summary>
/// One packet's fan-out as the media port sends it: 50 datagrams of 1,200 bytes from one media socket to
/// 50 loopback sockets, one Socket.SendTo each (the old path, and the fallback) against one sendmmsg for
/// the batch. The receivers are never read: once their buffers are full the kernel drops on arrival, so
/// this measures the send side (system calls, UDP and route work per datagram), not the receivers' wake-ups.
/// </summary>
[MemoryDiagnoser]
public class FanOutSendBenchmark
{
    private sealed class Ignore : IDatagramHandler
    {
        public void OnDatagram(Span<byte> datagram, in ReceivedDatagram meta)
        {
        }
    }

    private const int Subscribers = 50;
    private readonly byte[] _packet = new byte[1200];
    private UdpReceiveSocket _sender = null!;
    private Socket[] _receivers = [];
    private SocketAddress[] _addresses = [];
    private UdpSendBatch _sendTo = null!;
    private UdpSendBatch _sendMmsg = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_packet);
        _sender = new UdpReceiveSocket(new IPEndPoint(IPAddress.Loopback, 0), new Ignore(), 1 << 20, "bench");
        _receivers = Enumerable.Range(0, Subscribers).Select(_ =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return s;
        }).ToArray();
        _addresses = _receivers.Select(r => ((IPEndPoint)r.LocalEndPoint!).Serialize()).ToArray();
        _sendTo = new UdpSendBatch(useSendMmsg: false);
        _sendMmsg = new UdpSendBatch();
        if (!_sendMmsg.UsesSendMmsg)
            throw new InvalidOperationException("sendmmsg is not available here (Linux only).");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        foreach (var r in _receivers)
            r.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Subscribers)]
    public int SendToPerDatagram() => FanOut(_sendTo);

    [Benchmark(OperationsPerInvoke = Subscribers)]
    public int SendMmsgBatch() => FanOut(_sendMmsg);

    private int FanOut(UdpSendBatch batch)
    {
        foreach (var address in _addresses)
        {
            _packet.CopyTo(batch.Next);
            batch.Add(_sender, address, _packet.Length);
        }
        return batch.Flush();
    }
}
