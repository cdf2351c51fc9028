using MediaPlane.Srtp;

namespace MediaPlane.Dtls;

/// <summary>Outcome of <see cref="DtlsTransport.HandshakeAsync"/>.</summary>
/// <param name="State">Connected on success; Failed or Closed otherwise.</param>
/// <param name="KeyingMaterial">SRTP profile and keys (RFC 5764 §4.2) when connected.</param>
/// <param name="FailureReason">Human-readable reason when not connected.</param>
/// <param name="CipherSuite">Negotiated TLS cipher suite name when connected, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.</param>
/// <param name="Elapsed">Time from the start of the handshake to its end.</param>
public sealed record DtlsResult(
    DtlsTransportState State,
    SrtpKeyingMaterial? KeyingMaterial,
    string? FailureReason,
    string? CipherSuite,
    TimeSpan Elapsed)
{
    public bool Succeeded => State == DtlsTransportState.Connected && KeyingMaterial is not null;
}
