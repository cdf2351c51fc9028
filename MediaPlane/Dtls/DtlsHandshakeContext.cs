using MediaPlane.Srtp;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaPlane.Dtls;

/// <summary>
/// What the BouncyCastle server and client peers share: local credentials, the expected remote fingerprints,
/// the SRTP profile policy, and the handshake's outputs. Everything BouncyCastle-specific stays internal.
/// </summary>
internal sealed class DtlsHandshakeContext(
    BcTlsCrypto crypto,
    DtlsCertificate localCertificate,
    IReadOnlyList<DtlsFingerprint> remoteFingerprints,
    DtlsTransportOptions options,
    Action<short, short> alertReceived)
{
    /// <summary>RFC 5764 §4.2 exporter label.</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    private string? failureReason;

    public BcTlsCrypto Crypto { get; } = crypto;

    public DtlsTransportOptions Options { get; } = options;

    public SrtpProfile? SelectedProfile { get; set; }

    public SrtpKeyingMaterial? KeyingMaterial { get; private set; }

    public int CipherSuite { get; private set; }

    /// <summary>
    /// Smallest valid protected record body: explicit nonce plus tag (AES-GCM 8 + 16, ChaCha20-Poly1305
    /// 0 + 16; RFC 5288 §3, RFC 7905 §2). BouncyCastle answers shorter records in the current epoch with a
    /// fatal decode_error instead of discarding them, so the transport drops them first.
    /// </summary>
    public int MinimumProtectedRecordLength { get; private set; } = 16;

    /// <summary>The first specific reason our own checks gave for failing the handshake.</summary>
    public string? FailureReason => Volatile.Read(ref failureReason);

    public void Fail(string reason) => Interlocked.CompareExchange(ref failureReason, reason, null);

    public void OnAlertReceived(short level, short description) => alertReceived(level, description);

    /// <summary>ECDHE-ECDSA with AEAD ciphers: what browsers offer for DTLS 1.2 with ECDSA certificates.</summary>
    public static readonly int[] ServerCipherSuites =
    [
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];

    /// <summary>The client also accepts RSA-certificate servers (other SFUs under load tests).</summary>
    public static readonly int[] ClientCipherSuites =
    [
        .. ServerCipherSuites,
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ];

    public static string CipherSuiteName(int suite) => suite switch
    {
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        _ => $"0x{suite:X4}",
    };

    /// <summary>Local certificate chain and signer for BouncyCastle, bound to this connection's context.</summary>
    public TlsCredentialedSigner CreateSigner(TlsContext context)
    {
        var chain = new Certificate([new BcTlsCertificate(Crypto, localCertificate.Certificate.CertificateStructure)]);
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context), Crypto, localCertificate.PrivateKey, chain,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /// <summary>
    /// RFC 5763 §5: the peer's end-entity certificate must hash to a fingerprint from its SDP. Throws
    /// bad_certificate (which fails the handshake) otherwise.
    /// </summary>
    public void VerifyPeerCertificate(Certificate? chain, string peerName)
    {
        if (chain is null || chain.IsEmpty)
        {
            Fail($"{peerName} sent no certificate; DTLS-SRTP requires one to match the SDP fingerprint");
            throw new TlsFatalAlert(AlertDescription.certificate_required);
        }
        byte[] der = chain.GetCertificateAt(0).GetEncoded();
        foreach (var expected in remoteFingerprints)
        {
            if (expected.Matches(der))
                return;
        }
        var actual = DtlsFingerprint.Compute(remoteFingerprints[0].HashFunction, der);
        Fail($"{peerName} certificate fingerprint mismatch: expected {remoteFingerprints[0]}, got {actual}");
        throw new TlsFatalAlert(AlertDescription.bad_certificate);
    }

    /// <summary>Builds the use_srtp extension payload profile list in preference order.</summary>
    public int[] OfferedProfiles() => Options.SrtpProfiles.Select(p => (int)p).ToArray();

    /// <summary>Server side (RFC 5764 §4.1.1): pick our most preferred profile the client offered.</summary>
    public void SelectProfileFromOffer(IDictionary<int, byte[]>? clientExtensions)
    {
        UseSrtpData? offer = clientExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offer is null)
        {
            Fail("client did not offer the use_srtp extension (RFC 5764)");
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        foreach (var preferred in Options.SrtpProfiles)
        {
            if (Array.IndexOf(offer.ProtectionProfiles, (int)preferred) >= 0)
            {
                SelectedProfile = preferred;
                return;
            }
        }
        Fail($"no common SRTP profile: client offered [{string.Join(", ", offer.ProtectionProfiles.Select(p => $"0x{p:X4}"))}]");
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    /// <summary>Client side: the server must answer with exactly one profile that we offered.</summary>
    public void AcceptProfileFromServer(IDictionary<int, byte[]>? serverExtensions)
    {
        UseSrtpData? answer = serverExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (answer is null)
        {
            Fail("server did not accept the use_srtp extension (RFC 5764)");
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        if (answer.ProtectionProfiles.Length != 1
            || !Options.SrtpProfiles.Contains((SrtpProfile)answer.ProtectionProfiles[0]))
        {
            Fail($"server selected an SRTP profile we did not offer: [{string.Join(", ", answer.ProtectionProfiles.Select(p => $"0x{p:X4}"))}]");
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }
        SelectedProfile = (SrtpProfile)answer.ProtectionProfiles[0];
    }

    /// <summary>RFC 5764 §4.2: export the SRTP master keys and salts. Must run inside NotifyHandshakeComplete.</summary>
    public void ExportKeys(TlsContext context)
    {
        if (SelectedProfile is not { } profile)
        {
            Fail("handshake completed without an SRTP profile");
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }
        byte[] material = context.ExportKeyingMaterial(ExporterLabel, null, SrtpKeyingMaterial.ExporterLength(profile));
        KeyingMaterial = SrtpKeyingMaterial.FromExporterOutput(profile, material);
        Array.Clear(material);
        CipherSuite = context.SecurityParameters.CipherSuite;
        MinimumProtectedRecordLength = context.SecurityParameters.CipherSuite switch
        {
            Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
                or Org.BouncyCastle.Tls.CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => 16,
            _ => 24,
        };
    }
}
