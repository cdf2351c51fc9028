using Org.BouncyCastle.Tls;

namespace MediaPlane.Dtls;

/// <summary>
/// BouncyCastle server peer for DTLS-SRTP: DTLS 1.2 only, ECDHE-ECDSA AEAD suites, extended master secret
/// required (RFC 7627; BouncyCastle refuses to export keys without it), a mandatory client certificate
/// checked against the SDP fingerprint, and use_srtp profile selection.
/// </summary>
internal sealed class SrtpDtlsServer(DtlsHandshakeContext handshake) : DefaultTlsServer(handshake.Crypto)
{
    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => DtlsHandshakeContext.ServerCipherSuites;

    public override int GetHandshakeTimeoutMillis() => (int)handshake.Options.HandshakeTimeout.TotalMilliseconds;

    public override int GetHandshakeResendTimeMillis() => (int)handshake.Options.InitialRetransmitTimeout.TotalMilliseconds;

    public override bool RequiresExtendedMasterSecret() => true;

    // RFC 6347 §4.1.2.7: invalid records are silently discarded rather than ending the association.
    public override bool IgnoreCorruptDtlsRecords => true;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => handshake.CreateSigner(m_context);

    public override CertificateRequest GetCertificateRequest() =>
        new(
            [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
            TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context),
            null);

    public override void NotifyClientCertificate(Certificate clientCertificate) =>
        handshake.VerifyPeerCertificate(clientCertificate, "client");

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        handshake.SelectProfileFromOffer(clientExtensions);
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions,
            new UseSrtpData([(int)handshake.SelectedProfile!.Value], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        handshake.ExportKeys(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        handshake.OnAlertReceived(alertLevel, alertDescription);
}
