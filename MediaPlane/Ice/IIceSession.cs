using System.Net;
using MediaPlane.Transport;

namespace MediaPlane.Ice;

/// <summary>A session as the ICE-lite server drives it: consent and the address learned from STUN.</summary>
public interface IIceSession : ISessionEntry
{
    /// <summary>A verified binding request arrived now (RFC 7675 consent).</summary>
    void RefreshConsent(long nowTicks);

    /// <summary>
    /// The client's address is now <paramref name="remote"/> (first nomination or NAT rebinding);
    /// replies go to <paramref name="address"/> out of <paramref name="socket"/>.
    /// </summary>
    void MoveTo(EndpointKey remote, SocketAddress address, UdpReceiveSocket socket);
}
