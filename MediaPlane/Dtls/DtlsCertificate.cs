using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MediaPlane.Dtls;

/// <summary>
/// The local DTLS identity: an ECDSA P-256 key and a self-signed certificate (SHA256withECDSA), as browsers
/// make for WebRTC (RFC 8827 §6.5). Peers authenticate it only through the SDP fingerprint (RFC 5763 §5),
/// so subject and validity carry no meaning beyond being well-formed. Generate one at startup and share it
/// across transports; it is immutable and thread-safe.
/// </summary>
public sealed class DtlsCertificate
{
    private readonly byte[] der;

    private DtlsCertificate(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        der = certificate.GetEncoded();
        Fingerprint = DtlsFingerprint.Compute(DtlsHashFunction.Sha256, der);
    }

    /// <summary>SHA-256 fingerprint of the certificate; <c>Fingerprint.ToString()</c> is the SDP value.</summary>
    public DtlsFingerprint Fingerprint { get; }

    /// <summary>DER encoding of the certificate.</summary>
    public ReadOnlySpan<byte> DerEncoded => der;

    public DateTimeOffset NotBefore => new(Certificate.NotBefore, TimeSpan.Zero);

    public DateTimeOffset NotAfter => new(Certificate.NotAfter, TimeSpan.Zero);

    internal X509Certificate Certificate { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Fingerprint with another hash function (for peers that ask for e.g. sha-384).</summary>
    public DtlsFingerprint ComputeFingerprint(DtlsHashFunction hashFunction) => DtlsFingerprint.Compute(hashFunction, der);

    /// <summary>
    /// Generates a fresh P-256 key pair and self-signed certificate. Takes ~5-20 ms in managed code: do it once
    /// at startup, not per session.
    /// </summary>
    /// <param name="commonName">Subject and issuer CN; browsers use "WebRTC".</param>
    /// <param name="lifetime">Validity from one day ago; default 30 days, like Chrome's.</param>
    public static DtlsCertificate Generate(string commonName = "WebRTC", TimeSpan? lifetime = null)
    {
        var random = new SecureRandom();
        var keyGenerator = new ECKeyPairGenerator("EC");
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = keyGenerator.GenerateKeyPair();

        var now = DateTime.UtcNow;
        var name = new X509Name("CN=" + commonName);
        var generator = new X509V3CertificateGenerator();
        // 63-bit positive random serial (RFC 5280 §4.1.2.2: positive, at most 20 octets).
        generator.SetSerialNumber(new BigInteger(1, random.GenerateSeed(8)).ShiftRight(1).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now.AddDays(-1));
        generator.SetNotAfter(now + (lifetime ?? TimeSpan.FromDays(30)));
        generator.SetPublicKey(keyPair.Public);

        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DtlsCertificate(certificate, keyPair.Private);
    }
}
