using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace MediaPlane.Dtls;

/// <summary>
/// A certificate fingerprint as carried in SDP (RFC 8122 §5, RFC 5763 §5):
/// <code>
/// fingerprint-attribute  =  "fingerprint" ":" hash-func SP fingerprint
/// hash-func              =  "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / token
/// fingerprint            =  2UHEX *(":" 2UHEX)   ; each byte as two upper-case hex digits
/// </code>
/// The digest is taken over the DER encoding of the certificate. <see cref="ToString"/> gives the attribute
/// value without the "fingerprint:" prefix, e.g. <c>sha-256 AB:CD:...</c>.
/// </summary>
public sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    // "sha-512" + SP + 64 * 3 - 1 characters, plus generous room for surrounding whitespace.
    private const int MaxInputLength = 512;

    private readonly byte[] digest;

    private DtlsFingerprint(DtlsHashFunction hashFunction, byte[] digest)
    {
        HashFunction = hashFunction;
        this.digest = digest;
    }

    public DtlsHashFunction HashFunction { get; }

    /// <summary>The raw digest bytes.</summary>
    public ReadOnlySpan<byte> Digest => digest;

    /// <summary>Hashes a DER-encoded certificate.</summary>
    public static DtlsFingerprint Compute(DtlsHashFunction hashFunction, ReadOnlySpan<byte> certificateDer) =>
        new(hashFunction, Hash(hashFunction, certificateDer));

    /// <summary>Builds a fingerprint from a known digest; the length must match the hash function.</summary>
    public static DtlsFingerprint FromDigest(DtlsHashFunction hashFunction, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != hashFunction.DigestLength())
            throw new ArgumentException($"A {hashFunction.SdpName()} digest is {hashFunction.DigestLength()} bytes.", nameof(digest));
        return new DtlsFingerprint(hashFunction, digest.ToArray());
    }

    /// <summary>
    /// True when <paramref name="certificateDer"/> hashes to this fingerprint (constant-time comparison).
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> computed = stackalloc byte[64];
        int length = HashInto(HashFunction, certificateDer, computed);
        return CryptographicOperations.FixedTimeEquals(computed[..length], digest);
    }

    /// <summary>
    /// Parses an SDP fingerprint value, e.g. <c>sha-256 AB:CD:...</c>; a leading <c>a=fingerprint:</c> is
    /// accepted too. Never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> value, out DtlsFingerprint? fingerprint) =>
        TryParse(value, out fingerprint, out _);

    /// <summary>Parses an SDP fingerprint value, reporting why it was rejected. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out DtlsFingerprint? fingerprint, out DtlsFingerprintError error)
    {
        fingerprint = null;
        value = value.Trim();
        // Tolerate the whole SDP line or attribute: "a=fingerprint:sha-256 ..." or "fingerprint:sha-256 ...".
        if (value.StartsWith("a=", StringComparison.OrdinalIgnoreCase))
            value = value[2..];
        if (value.StartsWith("fingerprint:", StringComparison.OrdinalIgnoreCase))
            value = value["fingerprint:".Length..].TrimStart();
        if (value.IsEmpty || value.Length > MaxInputLength)
        {
            error = DtlsFingerprintError.Empty;
            return false;
        }

        int space = value.IndexOfAny(' ', '\t');
        if (space < 0)
        {
            error = DtlsFingerprintError.MissingDigest;
            return false;
        }

        if (!DtlsHashFunctionInfo.TryFromSdpName(value[..space], out var hash))
        {
            error = DtlsFingerprintError.UnsupportedHashFunction;
            return false;
        }

        var hex = value[(space + 1)..].TrimStart();
        int length = hash.DigestLength();
        // Each byte is two hex digits; bytes are separated by single colons.
        if (hex.Length != 3 * length - 1)
        {
            error = (hex.Length + 1) % 3 == 0 && IsDigestShaped(hex)
                ? DtlsFingerprintError.WrongDigestLength
                : DtlsFingerprintError.MalformedDigest;
            return false;
        }

        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            int at = 3 * i;
            int high = HexValue(hex[at]);
            int low = HexValue(hex[at + 1]);
            bool separatorOk = i == length - 1 || hex[at + 2] == ':';
            if (high < 0 || low < 0 || !separatorOk)
            {
                error = DtlsFingerprintError.MalformedDigest;
                return false;
            }
            bytes[i] = (byte)((high << 4) | low);
        }

        fingerprint = new DtlsFingerprint(hash, bytes);
        error = DtlsFingerprintError.None;
        return true;
    }

    /// <summary>The SDP attribute value: hash function, a space, then upper-case hex pairs joined by colons.</summary>
    public override string ToString()
    {
        string name = HashFunction.SdpName();
        return string.Create(name.Length + 1 + 3 * digest.Length - 1, this, static (span, self) =>
        {
            string prefix = self.HashFunction.SdpName();
            prefix.AsSpan().CopyTo(span);
            span[prefix.Length] = ' ';
            var rest = span[(prefix.Length + 1)..];
            for (int i = 0; i < self.digest.Length; i++)
            {
                if (i > 0)
                    rest[3 * i - 1] = ':';
                rest[3 * i] = HexDigit(self.digest[i] >> 4);
                rest[3 * i + 1] = HexDigit(self.digest[i] & 0xF);
            }
        });
    }

    public bool Equals(DtlsFingerprint? other) =>
        other is not null && other.HashFunction == HashFunction && other.digest.AsSpan().SequenceEqual(digest);

    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(HashFunction);
        hash.AddBytes(digest);
        return hash.ToHashCode();
    }

    private static bool IsDigestShaped(ReadOnlySpan<char> hex)
    {
        for (int i = 0; i < hex.Length; i++)
        {
            bool ok = i % 3 == 2 ? hex[i] == ':' : HexValue(hex[i]) >= 0;
            if (!ok)
                return false;
        }
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        // RFC 8122 asks for upper case; browsers send it, but lower case costs nothing to accept.
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static byte[] Hash(DtlsHashFunction hashFunction, ReadOnlySpan<byte> data)
    {
        var output = new byte[hashFunction.DigestLength()];
        HashInto(hashFunction, data, output);
        return output;
    }

    private static int HashInto(DtlsHashFunction hashFunction, ReadOnlySpan<byte> data, Span<byte> output) => hashFunction switch
    {
        DtlsHashFunction.Sha1 => SHA1.HashData(data, output),
        DtlsHashFunction.Sha256 => SHA256.HashData(data, output),
        DtlsHashFunction.Sha384 => SHA384.HashData(data, output),
        DtlsHashFunction.Sha512 => SHA512.HashData(data, output),
        _ => Sha224(data, output),
    };

    private static int Sha224(ReadOnlySpan<byte> data, Span<byte> output)
    {
        // .NET has no SHA-224; BouncyCastle's digest stays private to this file.
        var digest = new Sha224Digest();
        digest.BlockUpdate(data);
        return digest.DoFinal(output);
    }
}
