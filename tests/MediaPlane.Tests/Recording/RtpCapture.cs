using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Recording;

/// <summary>One datagram ffmpeg sent: which stream, RTP or RTCP, when it arrived (Unix µs), its bytes.</summary>
public sealed record CapturedPacket(int Track, bool IsRtcp, long ArrivalUnixMicros, byte[] Data);

/// <summary>
/// Runs ffmpeg (a separate process: it is GPL) to encode lavfi test sources and send them as RTP (one output per
/// track, RTCP on port + 1 as ffmpeg's rtp muxer does), and captures every datagram on loopback sockets.
/// </summary>
public static class RtpCapture
{
    /// <param name="outputs">Per track, ffmpeg's input and encoder arguments before "-f rtp URL", e.g.
    /// "-f lavfi -i testsrc=... -c:v libvpx ..." (each output maps its own input, see <see cref="RunAsync"/>).</param>
    public static async Task<List<CapturedPacket>> RunAsync(string inputs, IReadOnlyList<string> outputArguments, TimeSpan timeout)
    {
        var sockets = new List<(Socket Socket, int Track, bool Rtcp)>();
        var packets = new ConcurrentQueue<CapturedPacket>();
        var args = inputs;
        for (int track = 0; track < outputArguments.Count; track++)
        {
            var (rtp, rtcp) = BindPair();
            sockets.Add((rtp, track, false));
            sockets.Add((rtcp, track, true));
            args += $" {outputArguments[track]} -f rtp rtp://127.0.0.1:{((IPEndPoint)rtp.LocalEndPoint!).Port}";
        }
        using var stop = new CancellationTokenSource();
        // A thread each, not pool work items: ffmpeg sends as fast as it encodes, and a reader queued behind other
        // tests' work lets the socket buffer (capped by net.core.rmem_max) overflow and drop packets.
        var readers = sockets.Select(s => Task.Factory.StartNew(() => Receive(s.Socket, s.Track, s.Rtcp, packets, stop.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            await Ffmpeg.RunAsync("ffmpeg", "-hide_banner -v error -y " + args, timeout);
            await Task.Delay(300); // the last datagrams
        }
        finally
        {
            stop.Cancel();
            foreach (var s in sockets)
                s.Socket.Dispose();
            await Task.WhenAll(readers);
        }
        return [.. packets.OrderBy(p => p.ArrivalUnixMicros)];
    }

    /// <summary>Two sockets on consecutive free ports (RTP even, RTCP = RTP + 1), retrying until both bind.</summary>
    private static (Socket Rtp, Socket Rtcp) BindPair()
    {
        for (int attempt = 0; ; attempt++)
        {
            var rtp = NewSocket();
            rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            var rtcp = NewSocket();
            try
            {
                rtcp.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return (rtp, rtcp);
            }
            catch (SocketException) when (attempt < 50)
            {
                rtp.Dispose();
                rtcp.Dispose();
            }
        }
    }

    private static Socket NewSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 * 1024 * 1024, ReceiveTimeout = 200 };
        return socket;
    }

    private static void Receive(Socket socket, int track, bool rtcp, ConcurrentQueue<CapturedPacket> packets, CancellationToken stop)
    {
        var buffer = new byte[2048];
        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                continue;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            long now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            packets.Enqueue(new CapturedPacket(track, rtcp, now, buffer[..length]));
        }
    }
}
