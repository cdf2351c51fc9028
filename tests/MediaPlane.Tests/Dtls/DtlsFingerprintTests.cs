using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MediaPlane.Dtls;

namespace MediaPlane.Tests.Dtls;

public class DtlsFingerprintTests
{
    // A fingerprint line as Chrome writes it (RFC 8122 §5 shape: sha-256, 32 upper-case hex pairs).
    private const string ChromeStyle =
        "sha-256 9A:1D:4F:5E:B2:6C:0E:28:77:31:4A:9B:C0:DD:EE:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:01";

    [Fact]
    public void Parses_and_formats_an_sdp_fingerprint()
    {
        DtlsFingerprint.TryParse(ChromeStyle, out var fingerprint, out var error).Should().BeTrue();

        error.Should().Be(DtlsFingerprintError.None);
        fingerprint!.HashFunction.Should().Be(DtlsHashFunction.Sha256);
        fingerprint.Digest.ToArray().Should().HaveCount(32).And.StartWith(new byte[] { 0x9A, 0x1D, 0x4F }).And.EndWith(new byte[] { 0x00, 0x01 });
        fingerprint.ToString().Should().Be(ChromeStyle);
    }

    [Fact]
    public void Accepts_surrounding_whitespace_lower_case_hex_and_upper_case_hash_name()
    {
        DtlsFingerprint.TryParse("  SHA-256   " + ChromeStyle[8..].ToLowerInvariant() + "\r\n", out var fingerprint).Should().BeTrue();
        fingerprint!.ToString().Should().Be(ChromeStyle);
    }

    [Theory]
    [InlineData("a=fingerprint:")]
    [InlineData("fingerprint:")]
    [InlineData("A=Fingerprint: ")]
    public void Accepts_the_sdp_attribute_prefix(string prefix)
    {
        DtlsFingerprint.TryParse(prefix + ChromeStyle, out var fingerprint).Should().BeTrue();
        fingerprint!.ToString().Should().Be(ChromeStyle);
    }

    [Theory]
    [InlineData(DtlsHashFunction.Sha1, 20)]
    [InlineData(DtlsHashFunction.Sha224, 28)]
    [InlineData(DtlsHashFunction.Sha256, 32)]
    [InlineData(DtlsHashFunction.Sha384, 48)]
    [InlineData(DtlsHashFunction.Sha512, 64)]
    public void Every_hash_function_round_trips(DtlsHashFunction hash, int length)
    {
        var digest = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        var text = DtlsFingerprint.FromDigest(hash, digest).ToString();

        text.Should().StartWith(hash.SdpName() + " ");
        DtlsFingerprint.TryParse(text, out var parsed).Should().BeTrue();
        parsed!.Digest.ToArray().Should().Equal(digest);
        parsed.Should().Be(DtlsFingerprint.FromDigest(hash, digest));
        parsed.GetHashCode().Should().Be(DtlsFingerprint.FromDigest(hash, digest).GetHashCode());
    }

    [Theory]
    [InlineData("", DtlsFingerprintError.Empty)]
    [InlineData("   ", DtlsFingerprintError.Empty)]
    [InlineData("sha-256", DtlsFingerprintError.MissingDigest)]
    [InlineData("a=fingerprint:", DtlsFingerprintError.Empty)]
    [InlineData("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", DtlsFingerprintError.UnsupportedHashFunction)]
    [InlineData("sha-257 00:11", DtlsFingerprintError.UnsupportedHashFunction)]
    [InlineData("sha-256 00:11:22", DtlsFingerprintError.WrongDigestLength)]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:GG", DtlsFingerprintError.MalformedDigest)]
    [InlineData("sha-1 00-11-22-33-44-55-66-77-88-99-AA-BB-CC-DD-EE-FF-00-11-22-33", DtlsFingerprintError.MalformedDigest)]
    [InlineData("sha-1 0011:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:4", DtlsFingerprintError.MalformedDigest)]
    public void Rejects_malformed_values_with_a_reason(string value, DtlsFingerprintError expected)
    {
        DtlsFingerprint.TryParse(value, out var fingerprint, out var error).Should().BeFalse();
        fingerprint.Should().BeNull();
        error.Should().Be(expected);
    }

    [Fact]
    public void Generated_certificate_is_p256_self_signed_and_its_fingerprint_matches_dotnet()
    {
        var certificate = DtlsCertificate.Generate();
        using var x509 = X509CertificateLoader.LoadCertificate(certificate.DerEncoded);

        x509.Subject.Should().Be("CN=WebRTC");
        x509.Issuer.Should().Be(x509.Subject);
        x509.SignatureAlgorithm.FriendlyName.Should().Be("sha256ECDSA");
        using (var key = x509.GetECDsaPublicKey())
            key!.ExportParameters(false).Curve.Oid.Value.Should().Be("1.2.840.10045.3.1.7"); // secp256r1
        certificate.NotAfter.Should().BeAfter(DateTimeOffset.UtcNow.AddDays(29));
        certificate.NotBefore.Should().BeBefore(DateTimeOffset.UtcNow);

        var expected = string.Join(':', SHA256.HashData(certificate.DerEncoded).Select(b => b.ToString("X2")));
        certificate.Fingerprint.ToString().Should().Be("sha-256 " + expected);
        certificate.Fingerprint.Matches(certificate.DerEncoded).Should().BeTrue();
        certificate.ComputeFingerprint(DtlsHashFunction.Sha384).Matches(certificate.DerEncoded).Should().BeTrue();
        DtlsCertificate.Generate().Fingerprint.Should().NotBe(certificate.Fingerprint);
    }

    [Fact]
    public void Matches_rejects_another_certificate()
    {
        var fingerprint = DtlsTestPair.ServerCertificate.Fingerprint;
        fingerprint.Matches(DtlsTestPair.ClientCertificate.DerEncoded).Should().BeFalse();
        fingerprint.Matches(ReadOnlySpan<byte>.Empty).Should().BeFalse();
    }

    [Fact]
    public void Sha224_digest_matches_the_fips_180_vector()
    {
        // FIPS 180-2 appendix: SHA-224("abc").
        var abc = "abc"u8.ToArray();
        DtlsFingerprint.Compute(DtlsHashFunction.Sha224, abc).Digest.ToArray().Should().Equal(
            Convert.FromHexString("23097D223405D8228642A477BDA255B32AADBCE4BDA0B3F7E36C9DA7"));
    }
}
