using System.Net;

namespace MediaPlane.Transport;

/// <summary>Where a datagram came from and which local socket received it (replies go out of that socket).</summary>
public readonly struct ReceivedDatagram(EndpointKey remote, SocketAddress remoteAddress, UdpReceiveSocket socket)
{
    public EndpointKey Remote { get; } = remote;

    /// <summary>The receive loop's reused address object: copy it (see <see cref="UdpReceiveSocket.CopyAddress"/>) to keep it.</summary>
    public SocketAddress RemoteAddress { get; } = remoteAddress;

    public UdpReceiveSocket Socket { get; } = socket;
}
