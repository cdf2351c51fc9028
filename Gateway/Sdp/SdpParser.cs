using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Gateway.Sdp;

/// <summary>
/// Parses an SDP offer (RFC 8866) into a <see cref="SessionDescription"/>. Never throws: bad input comes back
/// as <see cref="SdpParseResult.Errors"/> with line numbers.
/// <para>
/// Grammar (RFC 8866 §9): <c>session-description = version-field origin-field session-name-field ...
/// *media-description</c>; each line is <c>&lt;type&gt;=&lt;value&gt;</c>, <c>type</c> one lower-case letter,
/// ended by CRLF (LF alone is accepted, as RFC 8866 §5 advises). Text may not hold NUL or other control
/// characters except TAB.
/// </para>
/// Strict where it matters to us (v, o, m, and the attributes negotiation reads: malformed means an error);
/// tolerant elsewhere (unknown line types and attributes are skipped; malformed c=, t= and a=candidate
/// lines become warnings).
/// </summary>
public static class SdpParser
{
    /// <summary>Parses an SDP received as UTF-8 bytes (e.g. an HTTP body).</summary>
    public static SdpParseResult Parse(ReadOnlySpan<byte> utf8, SdpLimits? limits = null)
    {
        try
        {
            return ParseCore(utf8, limits ?? SdpLimits.Default);
        }
        catch (Exception e)
        {
            return SdpParseResult.Fail(0, $"SDP could not be parsed ({e.GetType().Name})");
        }
    }

    internal static SdpParseResult ParseCore(ReadOnlySpan<byte> utf8, SdpLimits limits)
    {
        if (utf8.Length > limits.MaxBytes)
            return SdpParseResult.Fail(0, $"SDP is {utf8.Length} bytes, the limit is {limits.MaxBytes}");
        if (!Utf8.IsValid(utf8))
            return SdpParseResult.Fail(0, "SDP is not valid UTF-8");
        return ParseCore(Encoding.UTF8.GetString(utf8), limits);
    }

    /// <summary>Parses an SDP held as a string.</summary>
    public static SdpParseResult Parse(string? text, SdpLimits? limits = null)
    {
        try
        {
            return ParseCore(text, limits ?? SdpLimits.Default);
        }
        catch (Exception e)
        {
            // Last line of defence at the network boundary; the fuzz tests call ParseCore and see any throw.
            return SdpParseResult.Fail(0, $"SDP could not be parsed ({e.GetType().Name})");
        }
    }

    internal static SdpParseResult ParseCore(string? text, SdpLimits limits)
    {
        if (string.IsNullOrEmpty(text))
            return SdpParseResult.Fail(0, "SDP is empty");
        if (text.Length > limits.MaxBytes || Encoding.UTF8.GetByteCount(text) > limits.MaxBytes)
            return SdpParseResult.Fail(0, $"SDP is larger than {limits.MaxBytes} bytes");

        var context = new SdpParseContext(limits);
        var session = new SessionBuilder();
        MediaBuilder? media = null;
        var lineNumber = 0;
        var position = 0;
        var sawContent = false;

        while (position < text.Length && !context.TooManyErrors)
        {
            lineNumber++;
            if (lineNumber > limits.MaxLines)
            {
                context.Error(lineNumber, $"SDP has more than {limits.MaxLines} lines");
                break;
            }
            var newline = text.IndexOf('\n', position);
            var end = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(position, end - position);
            position = newline < 0 ? text.Length : newline + 1;
            if (line.Length > 0 && line[^1] == '\r')
                line = line[..^1];

            if (!CheckCharacters(line, lineNumber, context))
                continue;
            if (line.IsEmpty)
                continue; // tolerated: blank lines, the usual trailing newline
            if (line.Length > limits.MaxLineLength)
            {
                context.Error(lineNumber, $"line is longer than {limits.MaxLineLength} characters");
                continue;
            }
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                context.Error(lineNumber, "line must be <type>=<value> with a lower-case letter type");
                continue;
            }

            var type = line[0];
            var value = line[2..];
            if (!sawContent)
            {
                sawContent = true;
                if (type != 'v')
                {
                    context.Error(lineNumber, "SDP must start with v=0");
                    continue;
                }
            }

            switch (type)
            {
                case 'v':
                    if (session.SeenVersion)
                        context.Error(lineNumber, "v= may appear only once, first");
                    else if (!value.SequenceEqual("0"))
                        context.Error(lineNumber, "unsupported SDP version (v=0 expected)");
                    session.SeenVersion = true;
                    break;
                case 'o':
                    ParseOrigin(value, lineNumber, session, media, context);
                    break;
                case 's':
                    if (media is null)
                        session.SessionName = value.ToString();
                    break;
                case 't':
                    if (media is null)
                        ParseTiming(value, lineNumber, session, context);
                    break;
                case 'c':
                    var connection = ParseConnection(value, lineNumber, context);
                    if (media is null)
                        session.Connection = connection;
                    else
                        media.Connection = connection;
                    break;
                case 'm':
                    if (session.Media.Count >= limits.MaxMediaSections)
                    {
                        context.Error(lineNumber, $"SDP has more than {limits.MaxMediaSections} m= sections");
                        return SdpParseResult.Fail(context.Errors, context.Warnings);
                    }
                    media = ParseMediaLine(value, lineNumber, session.Media.Count, context);
                    session.Media.Add(media);
                    break;
                case 'a':
                    SdpAttributeParser.Parse(value, lineNumber, session, media, context);
                    break;
                default:
                    // i, u, e, p, b, r, z, k and unknown types: not used by WebRTC negotiation.
                    break;
            }
        }

        if (context.Errors.Count == 0)
        {
            if (!sawContent)
                context.Error(0, "SDP is empty");
            else if (session.Origin is null)
                context.Error(0, "SDP has no o= line");
            Validate(session, context);
        }
        return context.Errors.Count > 0
            ? SdpParseResult.Fail(context.Errors, context.Warnings)
            : SdpParseResult.Ok(session.Build(), context.Warnings);
    }

    /// <summary>RFC 8866 §9: text is <c>%x01-09 / %x0B-0C / %x0E-FF</c>; we also refuse other C0 controls and DEL.</summary>
    private static bool CheckCharacters(ReadOnlySpan<char> line, int lineNumber, SdpParseContext context)
    {
        foreach (var c in line)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                context.Error(lineNumber, c == '\r'
                    ? "carriage return not followed by line feed"
                    : $"control character U+{(int)c:X4} is not allowed");
                return false;
            }
        }
        return true;
    }

    private static void Validate(SessionBuilder session, SdpParseContext context)
    {
        var mids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in session.Media)
        {
            if (m.Mid is not null && !mids.Add(m.Mid))
                context.Error(0, $"a=mid:{m.Mid} is used by more than one m= section");
        }
    }

    private static void ParseOrigin(ReadOnlySpan<char> value, int line, SessionBuilder session, MediaBuilder? media, SdpParseContext context)
    {
        if (media is not null || session.Origin is not null)
        {
            context.Error(line, "o= may appear only once, at session level");
            return;
        }
        var f = SdpFields.Split(value);
        if (f.Length != 6)
        {
            context.Error(line, "o= must have 6 fields: <username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
            return;
        }
        if (!SdpFields.IsDigits(f[1]) || !SdpFields.IsDigits(f[2]))
        {
            context.Error(line, "o= session id and version must be numbers");
            return;
        }
        session.Origin = new SdpOrigin(f[0], f[1], f[2], f[3], f[4], f[5]);
    }

    private static void ParseTiming(ReadOnlySpan<char> value, int line, SessionBuilder session, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        if (f.Length == 2 && ulong.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && ulong.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var stop))
            session.Timing = (start, stop);
        else
            context.Warning(line, "t= must be '<start> <stop>'; ignored");
    }

    private static SdpConnection? ParseConnection(ReadOnlySpan<char> value, int line, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        if (f.Length == 3)
            return new SdpConnection(f[0], f[1], f[2]);
        context.Warning(line, "c= must be '<nettype> <addrtype> <address>'; ignored");
        return null;
    }

    /// <summary>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ... (RFC 8866 §5.14).</summary>
    private static MediaBuilder ParseMediaLine(ReadOnlySpan<char> value, int line, int index, SdpParseContext context)
    {
        var media = new MediaBuilder { Index = index };
        var f = SdpFields.Split(value);
        if (f.Length < 4)
        {
            context.Error(line, "m= must be '<media> <port> <proto> <fmt> ...'");
            return media;
        }
        media.MediaType = f[0];
        media.Kind = f[0] switch
        {
            "audio" => MediaKind.Audio,
            "video" => MediaKind.Video,
            "application" => MediaKind.Application,
            _ => MediaKind.Other,
        };
        var port = f[1].AsSpan();
        var slash = port.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(port[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                context.Error(line, "m= port count is not a positive number");
            else
                media.PortCount = count;
            port = port[..slash];
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
            context.Error(line, "m= port is not a number from 0 to 65535");
        else
            media.Port = p;
        media.Protocol = f[2];
        media.Formats = f[3..];
        if (media.Protocol.Contains("RTP/", StringComparison.OrdinalIgnoreCase))
        {
            var pts = new int[media.Formats.Length];
            for (var i = 0; i < pts.Length; i++)
            {
                if (!SdpFields.TryParsePayloadType(media.Formats[i], out pts[i]))
                {
                    context.Error(line, $"m= format '{SdpFields.Clip(media.Formats[i])}' is not an RTP payload type (0-127)");
                    return media;
                }
            }
            media.PayloadTypes = pts;
        }
        return media;
    }
}
