using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MediaPlane.Tests.Relay.Cascade;

/// <summary>
/// A wire between two relay ports that keeps a copy of every datagram, like a capture on the link: node A sends to
/// <see cref="TowardB"/>, which passes it on to B from <see cref="TowardA"/>'s port; B sends to <see cref="TowardA"/>,
/// passed on to A from <see cref="TowardB"/>. Each side sees the other at the tap's address it sends to, so relay v2's
/// sender-address check holds when each node knows the other at that address. A one-way delay per direction
/// (changeable while running) makes it an emulated WAN link.
/// </summary>
internal sealed class UdpTap : IDisposable
{
    private readonly Socket _towardB = Bound();
    private readonly Socket _towardA = Bound();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _pumps;

    public UdpTap(IPEndPoint a, IPEndPoint b)
    {
        _pumps = [Pump(_towardB, _towardA, b, () => DelayAToB), Pump(_towardA, _towardB, a, () => DelayBToA)];
    }

    /// <summary>One-way delay added to what A sends toward B.</summary>
    public TimeSpan DelayAToB { get; set; }

    /// <summary>One-way delay added to what B sends toward A.</summary>
    public TimeSpan DelayBToA { get; set; }

    public void SetDelay(TimeSpan oneWay) => (DelayAToB, DelayBToA) = (oneWay, oneWay);

    /// <summary>Keep copies of what crosses (off for long runs that only need the delay).</summary>
    public bool Capture { get; set; } = true;

    public IPEndPoint TowardB => (IPEndPoint)_towardB.LocalEndPoint!;

    public IPEndPoint TowardA => (IPEndPoint)_towardA.LocalEndPoint!;

    /// <summary>Every datagram that crossed, either way.</summary>
    public ConcurrentQueue<byte[]> Captured { get; } = new();

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private Task Pump(Socket from, Socket via, IPEndPoint to, Func<TimeSpan> delay) => Task.Run(async () =>
    {
        var buffer = new byte[2048];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int length = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                var copy = buffer[..length];
                if (Capture)
                    Captured.Enqueue(copy);
                var wait = delay();
                if (wait <= TimeSpan.Zero)
                    await via.SendToAsync(copy, SocketFlags.None, to, _stop.Token);
                else
                    _ = SendLaterAsync(via, copy, to, wait);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    });

    private async Task SendLaterAsync(Socket via, byte[] datagram, IPEndPoint to, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _stop.Token);
            await via.SendToAsync(datagram, SocketFlags.None, to, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _towardB.Dispose();
        _towardA.Dispose();
        Task.WaitAll(_pumps, TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
