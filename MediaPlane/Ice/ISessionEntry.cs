using MediaPlane.Transport;

namespace MediaPlane.Ice;

/// <summary>What the session table needs of a session: its credentials and consent bookkeeping.</summary>
public interface ISessionEntry
{
    IceCredentials LocalCredentials { get; }

    /// <summary>The remote ufrag from the SDP offer; the second half of a binding request's USERNAME.</summary>
    string RemoteUfrag { get; }

    /// <summary>The client's address, learned from a verified binding request; null until then.</summary>
    EndpointKey? RemoteEndpoint { get; }

    /// <summary><see cref="Environment.TickCount64"/> of the last verified STUN request (consent, RFC 7675).</summary>
    long LastConsentTicks { get; }
}
