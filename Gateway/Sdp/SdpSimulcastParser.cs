namespace Gateway.Sdp;

/// <summary>The simulcast attributes of an m= section: a=rid (RFC 8851) and a=simulcast (RFC 8853).</summary>
internal static class SdpSimulcastParser
{
    /// <summary>a=rid:&lt;rid-id&gt; SP &lt;rid-dir&gt; [SP &lt;params&gt;] (RFC 8851 §10).</summary>
    public static void ParseRid(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        if (f.Length is < 2 or > 3 || !SdpRid.IsValidId(f[0]))
        {
            context.Error(line, $"rid must be '<id> send|recv [params]' with an id of 1-{SdpRid.MaxIdLength} letters, digits, '-' or '_'");
            return;
        }
        MediaDirection direction;
        if (f[1] == "send")
            direction = MediaDirection.SendOnly;
        else if (f[1] == "recv")
            direction = MediaDirection.RecvOnly;
        else
        {
            context.Error(line, "rid direction must be send or recv");
            return;
        }
        string id = f[0];
        if (media.Rids.Exists(r => r.Id == id))
        {
            context.Error(line, $"rid {id} is given twice (RFC 8851 §4: ids are unique in a section)");
            return;
        }
        var payloadTypes = new List<int>();
        var restrictions = new List<KeyValuePair<string, string?>>();
        if (f.Length == 3)
        {
            foreach (var part in f[2].Split(';'))
            {
                if (part.Length == 0)
                    continue;
                int eq = part.IndexOf('=');
                string key = eq < 0 ? part : part[..eq];
                string? val = eq < 0 ? null : part[(eq + 1)..];
                if (key == "pt")
                {
                    foreach (var pt in (val ?? "").Split(','))
                    {
                        if (!SdpFields.TryParseInt(pt, out int number) || number > 127)
                        {
                            context.Error(line, $"rid {id}: pt= must list payload types 0-127");
                            return;
                        }
                        payloadTypes.Add(number);
                    }
                }
                else
                    restrictions.Add(new(key, val));
            }
        }
        media.Rids.Add(new SdpRid(id, direction, payloadTypes, restrictions));
    }

    /// <summary>a=simulcast: sc-send [SP sc-recv] / sc-recv [SP sc-send] (RFC 8853 §5.1).</summary>
    public static void ParseSimulcast(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        if (media.Simulcast is not null)
        {
            context.Error(line, "a=simulcast is given twice in one section (RFC 8853 §5.1 allows one)");
            return;
        }
        var f = SdpFields.Split(value);
        if (f.Length is not (2 or 4))
        {
            context.Error(line, "simulcast must be 'send|recv <streams>' once or twice");
            return;
        }
        IReadOnlyList<IReadOnlyList<SdpSimulcastId>>? send = null, receive = null;
        for (int i = 0; i < f.Length; i += 2)
        {
            var streams = ParseSimulcastStreams(f[i + 1]);
            if (streams is null)
            {
                context.Error(line, "simulcast streams must be RIDs separated by ';' (streams) and ',' (alternatives), '~' for paused");
                return;
            }
            if (f[i] == "send" && send is null)
                send = streams;
            else if (f[i] == "recv" && receive is null)
                receive = streams;
            else
            {
                context.Error(line, "simulcast directions must be send and/or recv, each once");
                return;
            }
        }
        media.Simulcast = new SdpSimulcast(send ?? [], receive ?? []);
    }

    private static List<IReadOnlyList<SdpSimulcastId>>? ParseSimulcastStreams(string list)
    {
        var streams = new List<IReadOnlyList<SdpSimulcastId>>();
        foreach (var stream in list.Split(';'))
        {
            var alternatives = new List<SdpSimulcastId>();
            foreach (var alternative in stream.Split(','))
            {
                bool paused = alternative.StartsWith('~');
                var rid = paused ? alternative[1..] : alternative;
                if (!SdpRid.IsValidId(rid))
                    return null;
                alternatives.Add(new SdpSimulcastId(rid, paused));
            }
            streams.Add(alternatives);
        }
        return streams;
    }
}
