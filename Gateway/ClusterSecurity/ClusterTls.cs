using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Gateway.ClusterSecurity;

/// <summary>
/// TLS with mutual authentication on Orleans' silo-to-silo and client-to-silo connections (the cluster profiles).
/// Every silo and standalone gateway of a cluster holds the same cluster certificate (PKCS#12 at
/// <c>Cluster:CertificatePath</c>, password <c>Cluster:CertificatePassword</c>; <c>scripts/cluster.sh</c> makes one
/// with openssl for local runs) and accepts a peer only when the peer proves it holds that certificate: its public
/// key must be the cluster certificate's. Pinning the key, not trusting a CA, means a self-signed certificate is
/// enough and no other certificate the machine trusts opens the cluster.
/// </summary>
public static class ClusterTls
{
    public const string PathKey = "Cluster:CertificatePath";
    public const string PasswordKey = "Cluster:CertificatePassword";

    /// <summary>Loads the cluster certificate, or throws with a message that names the setting to fix.</summary>
    public static X509Certificate2 LoadCertificate(IConfiguration configuration, string profile)
    {
        string? path = configuration[PathKey];
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidOperationException(
                $"The {profile} profile needs the cluster certificate: set {PathKey} (environment Cluster__CertificatePath) to a PKCS#12 file " +
                $"with its private key, and {PasswordKey} to its password (scripts/cluster.sh makes one for local runs).");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordKey]);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{PathKey} '{path}' could not be read as PKCS#12 with {PasswordKey}: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{PathKey} '{path}' holds no private key: the cluster certificate must have one.");
        return certificate;
    }

    /// <summary>Both ends present the cluster certificate and require the other's (silo ports and gateway port alike).</summary>
    public static void Configure(TlsOptions options, X509Certificate2 certificate)
    {
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // The platform's chain errors (self-signed, no host name) are expected: the pinned key decides.
        options.RemoteCertificateValidation = (remote, _, _) => HoldsClusterKey(remote, certificate);
    }

    public static bool HoldsClusterKey(X509Certificate2? remote, X509Certificate2 cluster) =>
        remote is not null && remote.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(cluster.PublicKey.EncodedKeyValue.RawData);
}
