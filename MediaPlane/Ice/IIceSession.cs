using System.Net;
using MediaPlane.Transport;

namespace MediaPlane.Ice;

/// <summary>A session as the ICE-lite server drives it: consent and the address learned from STUN.</summary>
public interface IIceSession : ISessionEntry
{
    /// <summary>A verified binding request arrived now (RFC 7675 consent).</summary>
    void RefreshConsent(long nowTicks);

    /// <summary>
    /// The client's address is now <paramref name="remote"/> (first nomination, or a move its check confirmed);
    /// replies go to <paramref name="address"/> out of <paramref name="socket"/>.
    /// </summary>
    void MoveTo(EndpointKey remote, SocketAddress address, UdpReceiveSocket socket);

    /// <summary>
    /// The client's a=ice-pwd from its offer: the key of the checks we send it before a move (RFC 8445 §7.2.2)
    /// and of its answers. Null when the control plane did not pass it: the session then never moves.
    /// </summary>
    byte[]? RemotePasswordBytes { get; }

    /// <summary>This session's pending move and recent moves.</summary>
    AddressMoveGuard AddressMoves { get; }
}
