using System.Net;

namespace MediaPlane.Transport;

/// <summary>
/// The silo's single WebRTC media port (configuration section "MediaPort").
/// </summary>
public sealed class MediaPortOptions
{
    public const string Section = "MediaPort";
    public const int DefaultPort = 7882;

    /// <summary>
    /// Address to bind. The default 0.0.0.0 binds every local IPv4 address separately (same port), so
    /// each client is answered from the address it reached: a socket bound to the wildcard would answer
    /// from the kernel's choice of source, which browsers drop (../shared/FACTS.md).
    /// </summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>UDP port shared by every client of this silo. 0 picks a free port (tests).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address written into SDP answers; defaults to the bind address, or 127.0.0.1 for the wildcard.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Sockets in the SO_REUSEPORT group per bound address, each with its own receive thread.</summary>
    public int ReceiveLoops { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Scheduler time slice requested for each receive thread, in µs (Linux 6.12+, see ThreadTimeSlice; the kernel
    /// clamps it to 100-100,000). Short, so a thread woken by a packet is not queued behind control-plane threads
    /// on its CPU. 0 leaves the kernel's default (0.7-3 ms by CPU count; 1.4 ms on 2 CPUs).
    /// </summary>
    public int ReceiveThreadSliceMicroseconds { get; set; } = 100;

    /// <summary>Kernel receive buffer per socket (SO_RCVBUF); bursts of video need room.</summary>
    public int SocketBufferBytes { get; set; } = 4 * 1024 * 1024;

    public IPAddress ResolveAdvertisedAddress()
    {
        if (AdvertisedAddress is { Length: > 0 } advertised)
            return IPAddress.Parse(advertised);
        var bind = IPAddress.Parse(BindAddress);
        return bind.Equals(IPAddress.Any) ? IPAddress.Loopback : bind;
    }
}
