using Org.BouncyCastle.Tls;

namespace MediaPlane.Dtls;

/// <summary>
/// BouncyCastle client peer for DTLS-SRTP: offers use_srtp with our profile order, requires the extended
/// master secret, presents our certificate, and checks the server certificate against the SDP fingerprint.
/// </summary>
internal sealed class SrtpDtlsClient(DtlsHandshakeContext handshake) : DefaultTlsClient(handshake.Crypto)
{
    private readonly DtlsHandshakeContext handshake = handshake;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => DtlsHandshakeContext.ClientCipherSuites;

    public override int GetHandshakeTimeoutMillis() => (int)handshake.Options.HandshakeTimeout.TotalMilliseconds;

    public override int GetHandshakeResendTimeMillis() => (int)handshake.Options.InitialRetransmitTimeout.TotalMilliseconds;

    public override bool RequiresExtendedMasterSecret() => true;

    public override bool IgnoreCorruptDtlsRecords => true;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(handshake.OfferedProfiles(), TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        handshake.AcceptProfileFromServer(serverExtensions);
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        handshake.ExportKeys(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        handshake.OnAlertReceived(alertLevel, alertDescription);

    private sealed class Authentication(SrtpDtlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client.handshake.VerifyPeerCertificate(serverCertificate.Certificate, "server");

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            client.handshake.CreateSigner(client.Context);
    }

    private TlsClientContext Context => m_context;
}
