namespace MediaPlane.Contracts;

public enum SessionCloseReason
{
    /// <summary>The control plane closed it (DELETE, kick, room closed).</summary>
    Requested,
    /// <summary>No verified STUN for the consent timeout (RFC 7675).</summary>
    ConsentExpired,
    /// <summary>The DTLS handshake failed or timed out.</summary>
    DtlsFailed,
    /// <summary>The client sent DTLS close_notify.</summary>
    ClosedByPeer,
    /// <summary>The media node shut down.</summary>
    Shutdown,
}
