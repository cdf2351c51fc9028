using System.Net;
using System.Net.Sockets;

namespace Grains.Tests.Restart;

internal static class FreePorts
{
    /// <summary>A TCP port free on loopback right now (the OS picks it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
