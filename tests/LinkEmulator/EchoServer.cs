using System.Net;
using System.Net.Sockets;

namespace LinkEmulator;

/// <summary>Answers every UDP datagram with itself, to its source, until the time is up.</summary>
public static class EchoServer
{
    public static void Run(int port, TimeSpan duration)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        socket.ReceiveTimeout = 200;
        Console.WriteLine($"echo listening on {port}");
        var buffer = new byte[65536];
        EndPoint source = new IPEndPoint(IPAddress.Any, 0);
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            try
            {
                int length = socket.ReceiveFrom(buffer, ref source);
                socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, source);
            }
            catch (SocketException)
            {
                // receive timeout: check the time
            }
        }
    }
}
