using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MediaPlane.Stun;

/// <summary>Keys for MESSAGE-INTEGRITY (RFC 8489 §9.1.2, §9.2.2). Control-plane helpers: they allocate.</summary>
public static class StunCredentials
{
    /// <summary>
    /// Long-term credential key for MESSAGE-INTEGRITY: MD5(username ":" realm ":" SASLprep(password))
    /// (RFC 8489 §9.2.2 with the MD5 algorithm, as in RFC 5389 §15.4). Username and realm are used
    /// as given (RFC 8489 processes them with OpaqueString, which leaves them unchanged in practice);
    /// the password goes through <see cref="SaslPrep"/>. Writes 16 bytes.
    /// </summary>
    public static void ComputeLongTermKey(string username, string realm, string password, Span<byte> destination)
    {
        if (destination.Length < 16)
            throw new ArgumentException("An MD5 key is 16 bytes.", nameof(destination));
        var text = Encoding.UTF8.GetBytes($"{username}:{realm}:{SaslPrep(password)}");
        MD5.HashData(text, destination);
    }

    /// <summary>
    /// The mapping and normalization steps of SASLprep (RFC 4013 §2.1-§2.2): non-ASCII spaces become
    /// U+0020, "commonly mapped to nothing" characters (RFC 3454 table B.1) are dropped, then NFKC.
    /// The prohibited-output and bidi checks are not applied.
    /// </summary>
    public static string SaslPrep(string value)
    {
        var mapped = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (IsMappedToNothing(c))
                continue;
            mapped.Append(c != ' ' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator ? ' ' : c);
        }
        return mapped.ToString().Normalize(NormalizationForm.FormKC);
    }

    // RFC 3454 table B.1.
    private static bool IsMappedToNothing(char c) =>
        c is '\u00AD' or '\u034F' or '\u1806' or '\u180B' or '\u180C' or '\u180D' or '\u200B' or '\u200C' or '\u200D'
            or '\u2060' or '\uFEFF' or (>= '\uFE00' and <= '\uFE0F');
}
