namespace MediaPlane.Dtls;

/// <summary>
/// Hash functions allowed in an SDP <c>a=fingerprint</c> attribute (RFC 8122 §5, which drops md2 and md5).
/// The SDP token is the lower-case name, e.g. <c>sha-256</c>.
/// </summary>
public enum DtlsHashFunction
{
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// <summary>Token names and digest lengths of <see cref="DtlsHashFunction"/>.</summary>
public static class DtlsHashFunctionInfo
{
    /// <summary>The SDP token (RFC 8122 §5 hash-func).</summary>
    public static string SdpName(this DtlsHashFunction hash) => hash switch
    {
        DtlsHashFunction.Sha1 => "sha-1",
        DtlsHashFunction.Sha224 => "sha-224",
        DtlsHashFunction.Sha256 => "sha-256",
        DtlsHashFunction.Sha384 => "sha-384",
        _ => "sha-512",
    };

    /// <summary>Digest length in bytes.</summary>
    public static int DigestLength(this DtlsHashFunction hash) => hash switch
    {
        DtlsHashFunction.Sha1 => 20,
        DtlsHashFunction.Sha224 => 28,
        DtlsHashFunction.Sha256 => 32,
        DtlsHashFunction.Sha384 => 48,
        _ => 64,
    };

    /// <summary>Maps an SDP token (case-insensitive) to a hash function; false for unknown or forbidden ones.</summary>
    public static bool TryFromSdpName(ReadOnlySpan<char> token, out DtlsHashFunction hash)
    {
        foreach (var candidate in (ReadOnlySpan<DtlsHashFunction>)
                 [DtlsHashFunction.Sha256, DtlsHashFunction.Sha1, DtlsHashFunction.Sha384, DtlsHashFunction.Sha512, DtlsHashFunction.Sha224])
        {
            if (token.Equals(candidate.SdpName(), StringComparison.OrdinalIgnoreCase))
            {
                hash = candidate;
                return true;
            }
        }
        hash = default;
        return false;
    }
}
