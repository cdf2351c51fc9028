using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rtc.TestSupport;

/// <summary>
/// A self-signed P-256 cluster certificate written as PKCS#12, as <c>scripts/cluster.sh</c> makes one with openssl,
/// for tests that start cluster-profile silos and gateways (<c>Cluster:CertificatePath</c>/<c>CertificatePassword</c>).
/// In the shared support project, so every test project has the same one.
/// </summary>
public sealed class TestClusterCertificate
{
    public string Path { get; }
    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    public X509Certificate2 Certificate { get; }

    /// <summary>Writes the file at <paramref name="path"/>; the caller deletes it (usually with its temp directory).</summary>
    public TestClusterCertificate(string path, string subject = "CN=rtc-test-cluster")
    {
        Path = path;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        byte[] pfx = created.Export(X509ContentType.Pkcs12, Password);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        File.WriteAllBytes(path, pfx);
        Certificate = X509CertificateLoader.LoadPkcs12(pfx, Password);
    }

    /// <summary>The settings as environment variables (a silo or gateway process).</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("Cluster__CertificatePath", Path),
        new("Cluster__CertificatePassword", Password),
    ];

    /// <summary>The settings as command-line arguments.</summary>
    public string[] Arguments() => ["--Cluster:CertificatePath", Path, "--Cluster:CertificatePassword", Password];
}
