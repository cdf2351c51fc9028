namespace MediaPlane.Dtls;

/// <summary>
/// Which side of the DTLS handshake this transport plays. With SDP (RFC 5763 §5, RFC 8842) an answerer with
/// <c>a=setup:passive</c> is the server; the SFU answers passive, so it is the server.
/// </summary>
public enum DtlsRole
{
    Client,
    Server,
}
