namespace Gateway.Sdp;

/// <summary>
/// a=fingerprint:&lt;hash-func&gt; &lt;fingerprint&gt; (RFC 8122 §5): the hash of the peer's DTLS certificate
/// as upper-case hex byte pairs separated by colons, e.g. <c>sha-256 AB:CD:...</c> (32 pairs).
/// </summary>
public sealed class SdpFingerprint : IEquatable<SdpFingerprint>
{
    public SdpFingerprint(string algorithm, byte[] value)
    {
        Algorithm = algorithm.ToLowerInvariant();
        this.value = (byte[])value.Clone();
    }

    private readonly byte[] value;

    /// <summary>Lower-case hash function name from the IANA registry: sha-1, sha-256, sha-384, sha-512, ...</summary>
    public string Algorithm { get; }

    public ReadOnlySpan<byte> Value => value;

    public byte[] ToArray() => (byte[])value.Clone();

    /// <summary>Digest length in bytes for the hash functions RFC 8122 §5 names; 0 if unknown.</summary>
    public static int DigestLength(string algorithm) => algorithm.ToLowerInvariant() switch
    {
        "md2" or "md5" => 16,
        "sha-1" => 20,
        "sha-224" => 28,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => 0,
    };

    /// <summary>The hex part, e.g. <c>AB:CD:01</c>.</summary>
    public string HexValue
    {
        get
        {
            var hex = Convert.ToHexString(value);
            var builder = new System.Text.StringBuilder(value.Length * 3);
            for (var i = 0; i < value.Length; i++)
            {
                if (i > 0)
                    builder.Append(':');
                builder.Append(hex, i * 2, 2);
            }
            return builder.ToString();
        }
    }

    /// <summary>The attribute value as written in SDP: <c>sha-256 AB:CD:...</c>.</summary>
    public override string ToString() => $"{Algorithm} {HexValue}";

    /// <summary>Parses <c>&lt;hash-func&gt; SP &lt;hex pairs&gt;</c>. The digest length must match a known hash
    /// function; unknown functions are accepted with any length from 16 to 64 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SdpFingerprint? fingerprint, out string? error)
    {
        fingerprint = null;
        text = text.Trim();
        var space = text.IndexOf(' ');
        if (space <= 0)
        {
            error = "fingerprint must be '<hash-func> <hex pairs>'";
            return false;
        }
        var algorithm = text[..space].ToString();
        foreach (var c in algorithm)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                error = "fingerprint hash function has invalid characters";
                return false;
            }
        }
        var hex = text[(space + 1)..].Trim();
        // Each byte is two hex digits; bytes are separated by ':' ("AB:CD" is 5 chars for 2 bytes).
        if (hex.Length < 2 || (hex.Length + 1) % 3 != 0)
        {
            error = "fingerprint value must be colon-separated hex byte pairs";
            return false;
        }
        var bytes = new byte[(hex.Length + 1) / 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            var hi = HexDigit(hex[i * 3]);
            var lo = HexDigit(hex[i * 3 + 1]);
            if (hi < 0 || lo < 0 || (i < bytes.Length - 1 && hex[i * 3 + 2] != ':'))
            {
                error = "fingerprint value must be colon-separated hex byte pairs";
                return false;
            }
            bytes[i] = (byte)(hi << 4 | lo);
        }
        var expected = DigestLength(algorithm);
        if (expected != 0 ? bytes.Length != expected : bytes.Length is < 16 or > 64)
        {
            error = $"fingerprint has {bytes.Length} bytes, {algorithm} needs {(expected != 0 ? expected : "16-64")}";
            return false;
        }
        fingerprint = new SdpFingerprint(algorithm, bytes);
        error = null;
        return true;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    public bool Equals(SdpFingerprint? other) =>
        other is not null && Algorithm == other.Algorithm && value.AsSpan().SequenceEqual(other.value);

    public override bool Equals(object? obj) => Equals(obj as SdpFingerprint);

    public override int GetHashCode() => HashCode.Combine(Algorithm, value.Length, value.Length > 0 ? value[0] : 0);
}
