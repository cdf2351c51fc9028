using System.Text;

namespace Gateway.WebRtc;

/// <summary>
/// The SDP fragment of a WHIP/WHEP ICE restart (RFC 9725 §4.3.2, fragment format RFC 8840 §9): the
/// client's new a=ice-ufrag and a=ice-pwd, and the answer with ours. A fragment without a=ice-ufrag is
/// plain trickle ICE, not a restart.
/// </summary>
public sealed record IceRestartFragment(string Ufrag, string Password, string? BundleGroup, string? MediaLine, string? Mid)
{
    // RFC 8839 §5.4: ice-ufrag is 4-256 ice-chars, ice-pwd 22-256.
    private const int MinUfrag = 4, MinPassword = 22, MaxCredential = 256;

    public static bool IsRestart(string fragment) => fragment.Contains("a=ice-ufrag:", StringComparison.Ordinal);

    /// <summary>Reads the restart's credentials; false with a reason for the client when they are missing or malformed.</summary>
    public static bool TryParse(string fragment, out IceRestartFragment? result, out string error)
    {
        result = null;
        string? ufrag = null, password = null, group = null, media = null, mid = null;
        foreach (var raw in fragment.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (TryValue(line, "a=ice-ufrag:", ref ufrag, out error) is false
                || TryValue(line, "a=ice-pwd:", ref password, out error) is false)
                return false;
            if (line.StartsWith("a=group:BUNDLE", StringComparison.Ordinal))
                group ??= line;
            else if (line.StartsWith("m=", StringComparison.Ordinal))
                media ??= line;
            else if (line.StartsWith("a=mid:", StringComparison.Ordinal) && media is not null)
                mid ??= line["a=mid:".Length..];
        }
        if (ufrag is null || password is null)
        {
            error = "an ICE restart fragment needs both a=ice-ufrag and a=ice-pwd";
            return false;
        }
        if (!IsIceChars(ufrag, MinUfrag) || !IsIceChars(password, MinPassword))
        {
            error = "a=ice-ufrag must be 4-256 and a=ice-pwd 22-256 characters of A-Z a-z 0-9 + / (RFC 8839 §5.4)";
            return false;
        }
        if (mid is not null && (mid.Length is 0 or > 32 || !mid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            mid = null;
        if (media is not null && (media.Length > 200 || media.Any(char.IsControl)))
            media = null;
        if (group is not null && (group.Length > 200 || group.Any(char.IsControl)))
            group = null;
        result = new IceRestartFragment(ufrag, password, group, media, mid);
        error = "";
        return true;
    }

    /// <summary>Our side of the restart: the new credentials and our one host candidate on the shared port.</summary>
    public string WriteAnswer(string ufrag, string password, string address, int port)
    {
        var text = new StringBuilder();
        text.Append("a=ice-lite\r\n");
        if (BundleGroup is not null)
            text.Append(BundleGroup).Append("\r\n");
        text.Append(MediaLine ?? "m=audio 9 UDP/TLS/RTP/SAVPF 0").Append("\r\n");
        if (Mid is not null)
            text.Append("a=mid:").Append(Mid).Append("\r\n");
        text.Append("a=ice-ufrag:").Append(ufrag).Append("\r\n");
        text.Append("a=ice-pwd:").Append(password).Append("\r\n");
        text.Append("a=candidate:1 1 udp 2130706431 ").Append(address).Append(' ').Append(port).Append(" typ host\r\n");
        text.Append("a=end-of-candidates\r\n");
        return text.ToString();
    }

    private static bool? TryValue(string line, string prefix, ref string? value, out string error)
    {
        error = "";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var found = line[prefix.Length..].Trim();
        if (value is not null && value != found)
        {
            error = $"the fragment has two different {prefix.TrimEnd(':')} lines";
            return false;
        }
        value = found;
        return true;
    }

    private static bool IsIceChars(string value, int minLength) =>
        value.Length >= minLength && value.Length <= MaxCredential && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');
}
