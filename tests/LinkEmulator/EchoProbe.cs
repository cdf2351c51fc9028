using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinkEmulator;

/// <summary>
/// Sends numbered, timestamped UDP probes to an echo server and prints one JSON line: sent, received,
/// loss and round-trip times in milliseconds. Binding to a fixed port lets the reply path address it.
/// </summary>
public static class EchoProbe
{
    public static void Run(int bindPort, IPEndPoint target, int count, double intervalMs, int waitMs, int size)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, bindPort));
        var rtts = new double?[count];
        var receiver = new Thread(() => Receive(socket, rtts)) { IsBackground = true };
        receiver.Start();
        var datagram = new byte[Math.Max(size, 12)];
        var clock = Stopwatch.StartNew();
        for (int n = 0; n < count; n++)
        {
            BinaryPrimitives.WriteInt32BigEndian(datagram, n);
            BinaryPrimitives.WriteInt64BigEndian(datagram.AsSpan(4), Stopwatch.GetTimestamp());
            socket.SendTo(datagram, target);
            double next = (n + 1) * intervalMs;
            while (clock.Elapsed.TotalMilliseconds < next)
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(1, next - clock.Elapsed.TotalMilliseconds)));
        }
        Thread.Sleep(waitMs);
        var received = rtts.Where(r => r.HasValue).Select(r => r!.Value).Order().ToArray();
        double Percentile(double p) => received.Length == 0 ? -1 : received[Math.Min(received.Length - 1, (int)(p * received.Length))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"sent\":{count},\"received\":{received.Length},\"lossPct\":{100.0 * (count - received.Length) / count:F2}," +
            $"\"rttMinMs\":{(received.Length == 0 ? -1 : received[0]):F2},\"rttMedianMs\":{Percentile(0.5):F2},\"rttP95Ms\":{Percentile(0.95):F2}}}"));
    }

    private static void Receive(Socket socket, double?[] rtts)
    {
        var buffer = new byte[65536];
        EndPoint source = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, ref source);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            if (length < 12)
                continue;
            int n = BinaryPrimitives.ReadInt32BigEndian(buffer);
            long sent = BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(4));
            if (n >= 0 && n < rtts.Length && rtts[n] is null)
                rtts[n] = (Stopwatch.GetTimestamp() - sent) * 1000.0 / Stopwatch.Frequency;
        }
    }
}
