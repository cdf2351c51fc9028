using System.Net;
using System.Net.Sockets;
using Rtc.TestClient;

namespace Benchmarks.Load;

/// <summary>
/// The kernel baseline (bench/baseline/fanout.c): plain RTP over UDP, no crypto. Publishers send to the
/// forwarder; each subscriber's socket registers with one 'J' datagram and then receives every packet.
/// One forwarder is one room.
/// </summary>
public sealed class BaselineTarget(string url) : SfuTarget
{
    private readonly IPEndPoint _forwarder = IPEndPoint.Parse(url.Replace("udp://", "", StringComparison.Ordinal));

    public override string Name => "baseline";

    public override Task<string> CreateRoomAsync(int index, int publishers, CancellationToken ct) =>
        index == 0 ? Task.FromResult("fanout") : throw new NotSupportedException("the baseline forwarder is one room");

    public override Task<MediaLeg> PublishAsync(string room, int index, uint audioSsrc, uint videoSsrc, CancellationToken ct) =>
        Task.FromResult<MediaLeg>(new Leg(_forwarder, null));

    public override Task<MediaLeg> SubscribeAsync(string room, int index, WebRtcClientTransport.RtpHandler onRtp, CancellationToken ct)
    {
        var leg = new Leg(_forwarder, onRtp);
        leg.SendRaw("J"u8);
        return Task.FromResult<MediaLeg>(leg);
    }

    private sealed class Leg : MediaLeg
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly SocketAddress _to;
        private readonly Thread? _receiver;

        public Leg(IPEndPoint to, WebRtcClientTransport.RtpHandler? onRtp)
        {
            _to = to.Serialize();
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            if (onRtp is null)
                return;
            _receiver = new Thread(() =>
            {
                var buffer = new byte[2048];
                while (true)
                {
                    int n;
                    try
                    {
                        n = _socket.Receive(buffer);
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException)
                    {
                        return;
                    }
                    onRtp(buffer.AsSpan(0, n));
                }
            }) { IsBackground = true, Name = "baseline-rx" };
            _receiver.Start();
        }

        public void SendRaw(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _to);

        public override bool Send(ReadOnlySpan<byte> rtp)
        {
            SendRaw(rtp);
            return true;
        }

        public override ValueTask DisposeAsync()
        {
            _socket.Dispose();
            _receiver?.Join(TimeSpan.FromSeconds(1));
            return ValueTask.CompletedTask;
        }
    }
}
