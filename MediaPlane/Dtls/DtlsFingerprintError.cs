namespace MediaPlane.Dtls;

/// <summary>Why an SDP fingerprint value was rejected by <see cref="DtlsFingerprint.TryParse(ReadOnlySpan{char}, out DtlsFingerprint?, out DtlsFingerprintError)"/>.</summary>
public enum DtlsFingerprintError
{
    None,
    /// <summary>Empty or whitespace-only input, or input longer than any valid fingerprint.</summary>
    Empty,
    /// <summary>No space between the hash function and the hex digest.</summary>
    MissingDigest,
    /// <summary>The hash function is unknown or forbidden (md2, md5).</summary>
    UnsupportedHashFunction,
    /// <summary>The digest is not colon-separated pairs of hex digits.</summary>
    MalformedDigest,
    /// <summary>The digest has the wrong number of bytes for its hash function.</summary>
    WrongDigestLength,
}
