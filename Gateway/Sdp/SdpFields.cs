using System.Globalization;

namespace Gateway.Sdp;

/// <summary>Small lexical helpers shared by the SDP parser (RFC 8866 §9 grammar terms).</summary>
internal static class SdpFields
{
    /// <summary>Splits on spaces and tabs, dropping empty fields (tolerates doubled separators).</summary>
    public static string[] Split(ReadOnlySpan<char> value)
    {
        var count = 0;
        var inField = false;
        foreach (var c in value)
        {
            var separator = c is ' ' or '\t';
            if (!separator && !inField)
                count++;
            inField = !separator;
        }
        var fields = new string[count];
        var i = 0;
        var start = -1;
        for (var p = 0; p <= value.Length; p++)
        {
            var separator = p == value.Length || value[p] is ' ' or '\t';
            if (separator && start >= 0)
            {
                fields[i++] = value[start..p].ToString();
                start = -1;
            }
            else if (!separator && start < 0)
                start = p;
        }
        return fields;
    }

    public static bool IsDigits(string s)
    {
        if (s.Length == 0)
            return false;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    /// <summary>token-char of RFC 8866 §9: printable ASCII except space and <c>"(),/:;&lt;=&gt;?@[\]</c>.</summary>
    public static bool IsToken(ReadOnlySpan<char> s, int maxLength = 256)
    {
        if (s.IsEmpty || s.Length > maxLength)
            return false;
        foreach (var c in s)
        {
            if (c is <= ' ' or >= (char)0x7F or '"' or '(' or ')' or ',' or '/' or ':' or ';' or '<' or '=' or '>'
                or '?' or '@' or '[' or '\\' or ']')
                return false;
        }
        return true;
    }

    /// <summary>ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4).</summary>
    public static bool IsIceChars(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/'))
                return false;
        }
        return true;
    }

    public static bool TryParsePayloadType(ReadOnlySpan<char> s, out int pt) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out pt) && pt <= 127 && s.Length <= 3;

    public static bool TryParseInt(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && s.Length <= 10;

    public static bool TryParseUInt(ReadOnlySpan<char> s, out uint value) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && s.Length <= 10;

    /// <summary>Shortens user-supplied text quoted in an error message.</summary>
    public static string Clip(ReadOnlySpan<char> s) => s.Length <= 40 ? s.ToString() : string.Concat(s[..40], "...");
}
