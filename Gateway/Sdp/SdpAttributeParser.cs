namespace Gateway.Sdp;

/// <summary>
/// a=&lt;attribute&gt;[:&lt;value&gt;] lines (RFC 8866 §5.13). Attributes negotiation relies on are checked
/// against their RFC grammar; a malformed one is an error. Unknown attributes are skipped.
/// </summary>
internal static class SdpAttributeParser
{
    public static void Parse(ReadOnlySpan<char> line, int lineNumber, SessionBuilder session, MediaBuilder? media, SdpParseContext context)
    {
        var colon = line.IndexOf(':');
        var name = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? ReadOnlySpan<char>.Empty : line[(colon + 1)..];
        if (!SdpFields.IsToken(name))
        {
            context.Error(lineNumber, "attribute name is not a token");
            return;
        }

        // Attributes allowed at both levels; a media-level value overrides the session's.
        switch (name)
        {
            case "ice-ufrag":
                if (CheckIce(value, 4, lineNumber, "ice-ufrag", context))
                    SetOnce(ref media is null ? ref session.IceUfrag : ref media.IceUfrag, value.ToString(), lineNumber, "ice-ufrag", context);
                return;
            case "ice-pwd":
                if (CheckIce(value, 22, lineNumber, "ice-pwd", context))
                    SetOnce(ref media is null ? ref session.IcePwd : ref media.IcePwd, value.ToString(), lineNumber, "ice-pwd", context);
                return;
            case "ice-options":
                (media?.IceOptions ?? session.IceOptions).AddRange(SdpFields.Split(value));
                return;
            case "fingerprint":
                if (SdpFingerprint.TryParse(value, out var fingerprint, out var error))
                    (media?.Fingerprints ?? session.Fingerprints).Add(fingerprint!);
                else
                    context.Error(lineNumber, error!);
                return;
            case "setup":
                if (!SetupRoleExtensions.TryParse(value, out var role))
                    context.Error(lineNumber, "setup must be active, passive, actpass or holdconn");
                else if (media is null)
                    session.Setup = role;
                else
                    media.Setup = role;
                return;
            case "extmap":
                ParseExtmap(value, lineNumber, media?.Extmaps ?? session.Extmaps, context);
                return;
            case "extmap-allow-mixed":
                if (media is null)
                    session.ExtmapAllowMixed = true;
                else
                    media.ExtmapAllowMixed = true;
                return;
        }

        if (media is null)
        {
            switch (name)
            {
                case "group": ParseGroup(value, lineNumber, session, context); break;
                case "ice-lite": session.IceLite = true; break;
                case "msid-semantic": session.MsidSemantic = value.Trim().ToString(); break;
            }
            return;
        }

        switch (name)
        {
            case "mid":
                if (!SdpFields.IsToken(value, 64))
                    context.Error(lineNumber, "mid must be a token of 1-64 characters");
                else
                    SetOnce(ref media.Mid, value.ToString(), lineNumber, "mid", context);
                break;
            case "sendrecv": SetDirection(media, MediaDirection.SendRecv, lineNumber, context); break;
            case "sendonly": SetDirection(media, MediaDirection.SendOnly, lineNumber, context); break;
            case "recvonly": SetDirection(media, MediaDirection.RecvOnly, lineNumber, context); break;
            case "inactive": SetDirection(media, MediaDirection.Inactive, lineNumber, context); break;
            case "rtcp-mux": media.RtcpMux = true; break;
            case "rtcp-rsize": media.RtcpRsize = true; break;
            case "bundle-only": media.BundleOnly = true; break;
            case "end-of-candidates": media.EndOfCandidates = true; break;
            case "rid": SdpSimulcastParser.ParseRid(value, lineNumber, media, context); break;
            case "simulcast": SdpSimulcastParser.ParseSimulcast(value, lineNumber, media, context); break;
            case "msid": ParseMsid(value, lineNumber, media, context); break;
            case "rtpmap": ParseRtpMap(value, lineNumber, media, context); break;
            case "fmtp": ParseFmtp(value, lineNumber, media, context); break;
            case "rtcp-fb": ParseRtcpFeedback(value, lineNumber, media, context); break;
            case "ssrc": ParseSsrc(value, lineNumber, media, context); break;
            case "ssrc-group": ParseSsrcGroup(value, lineNumber, media, context); break;
            case "candidate": ParseCandidate(value, lineNumber, media, context); break;
            case "sctp-port":
                if (SdpFields.TryParseInt(value, out var sctpPort) && sctpPort <= 65535)
                    media.SctpPort = sctpPort;
                else
                    context.Warning(lineNumber, "sctp-port is not a port number; ignored");
                break;
        }
    }

    private static void SetOnce(ref string? field, string value, int line, string name, SdpParseContext context)
    {
        if (field is not null && field != value)
            context.Error(line, $"{name} is given twice with different values");
        field = value;
    }

    private static void SetDirection(MediaBuilder media, MediaDirection direction, int line, SdpParseContext context)
    {
        if (media.Direction is { } existing && existing != direction)
            context.Error(line, "m= section has more than one direction attribute");
        media.Direction = direction;
    }

    /// <summary>ice-ufrag = 4*256ice-char, ice-pwd = 22*256ice-char (RFC 8839 §5.4).</summary>
    private static bool CheckIce(ReadOnlySpan<char> value, int minLength, int line, string name, SdpParseContext context)
    {
        if (value.Length < minLength || value.Length > 256 || !SdpFields.IsIceChars(value))
        {
            context.Error(line, $"{name} must be {minLength}-256 characters of A-Z a-z 0-9 + /");
            return false;
        }
        return true;
    }

    /// <summary>a=group:&lt;semantics&gt; *(SP identification-tag) (RFC 5888 §5).</summary>
    private static void ParseGroup(ReadOnlySpan<char> value, int line, SessionBuilder session, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        if (f.Length == 0 || !f.All(t => SdpFields.IsToken(t, 64)))
        {
            context.Error(line, "group must be '<semantics> <mid> ...' with token values");
            return;
        }
        session.Groups.Add(new SdpGroup(f[0], f[1..]));
    }

    /// <summary>a=msid:&lt;stream id&gt; [&lt;track id&gt;] (RFC 8830 §2), ids of 1-64 token characters.</summary>
    private static void ParseMsid(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        if (f.Length is < 1 or > 2 || !f.All(t => SdpFields.IsToken(t, 64)))
        {
            context.Error(line, "msid must be '<stream id> [<track id>]' with tokens of 1-64 characters");
            return;
        }
        media.Msids.Add(new SdpMsid(f[0], f.Length > 1 ? f[1] : null));
    }

    /// <summary>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;].</summary>
    private static void ParseRtpMap(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        var space = value.IndexOf(' ');
        if (space <= 0 || !SdpFields.TryParsePayloadType(value[..space], out var pt))
        {
            context.Error(line, "rtpmap must start with a payload type (0-127)");
            return;
        }
        var encoding = value[(space + 1)..].Trim();
        var slash = encoding.IndexOf('/');
        if (slash <= 0 || !SdpFields.IsToken(encoding[..slash], 64))
        {
            context.Error(line, "rtpmap must be '<pt> <encoding name>/<clock rate>[/<channels>]'");
            return;
        }
        var name = encoding[..slash].ToString();
        var rest = encoding[(slash + 1)..];
        int? channels = null;
        var slash2 = rest.IndexOf('/');
        if (slash2 >= 0)
        {
            if (!SdpFields.TryParseInt(rest[(slash2 + 1)..], out var ch) || ch is < 1 or > 255)
            {
                context.Error(line, "rtpmap channel count must be a number from 1 to 255");
                return;
            }
            channels = ch;
            rest = rest[..slash2];
        }
        if (!SdpFields.TryParseInt(rest, out var clock) || clock == 0)
        {
            context.Error(line, "rtpmap clock rate must be a positive number");
            return;
        }
        if (!media.HasPayloadType(pt))
        {
            context.Warning(line, $"rtpmap for payload type {pt} that the m= line does not list; ignored");
            return;
        }
        if (media.RtpMaps.Exists(r => r.PayloadType == pt))
        {
            context.Error(line, $"payload type {pt} has more than one rtpmap");
            return;
        }
        media.RtpMaps.Add(new SdpRtpMap(pt, name, clock, channels));
    }

    /// <summary>a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;.</summary>
    private static void ParseFmtp(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        if (media.PayloadTypes.Length == 0)
            return; // not an RTP section (e.g. a data channel's fmtp for webrtc-datachannel)
        var space = value.IndexOf(' ');
        if (space <= 0 || !SdpFields.TryParsePayloadType(value[..space], out var pt))
        {
            context.Error(line, "fmtp must be '<payload type> <parameters>'");
            return;
        }
        if (!media.HasPayloadType(pt))
        {
            context.Warning(line, $"fmtp for payload type {pt} that the m= line does not list; ignored");
            return;
        }
        if (media.Fmtps.Exists(f => f.PayloadType == pt))
        {
            context.Error(line, $"payload type {pt} has more than one fmtp");
            return;
        }
        media.Fmtps.Add(new SdpFmtp(pt, value[(space + 1)..].Trim().ToString()));
    }

    /// <summary>a=rtcp-fb:&lt;pt or *&gt; &lt;type&gt; [&lt;parameters&gt;] (RFC 4585 §4.2).</summary>
    private static void ParseRtcpFeedback(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        int? pt = null;
        var validPayloadType = f.Length >= 2 && (f[0] == "*" || SdpFields.TryParsePayloadType(f[0], out _));
        if (validPayloadType && f[0] != "*")
            pt = int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture);
        if (!validPayloadType || !SdpFields.IsToken(f[1], 64))
        {
            context.Error(line, "rtcp-fb must be '<payload type or *> <type> [<parameter>]'");
            return;
        }
        if (pt is { } payloadType && !media.HasPayloadType(payloadType))
        {
            context.Warning(line, $"rtcp-fb for payload type {payloadType} that the m= line does not list; ignored");
            return;
        }
        media.RtcpFeedback.Add(new SdpRtcpFeedback(pt, f[1], f.Length switch { 2 => null, 3 => f[2], _ => string.Join(' ', f, 2, f.Length - 2) }));
    }

    /// <summary>a=extmap:&lt;value&gt;[/&lt;direction&gt;] &lt;URI&gt; [&lt;extensionattributes&gt;] (RFC 8285 §8).</summary>
    private static void ParseExtmap(ReadOnlySpan<char> value, int line, List<SdpExtmap> extmaps, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        if (f.Length < 2)
        {
            context.Error(line, "extmap must be '<id>[/<direction>] <URI>'");
            return;
        }
        var idText = f[0].AsSpan();
        MediaDirection? direction = null;
        var slash = idText.IndexOf('/');
        if (slash >= 0)
        {
            direction = idText[(slash + 1)..] switch
            {
                "sendrecv" => MediaDirection.SendRecv,
                "sendonly" => MediaDirection.SendOnly,
                "recvonly" => MediaDirection.RecvOnly,
                "inactive" => MediaDirection.Inactive,
                _ => null,
            };
            if (direction is null)
            {
                context.Error(line, "extmap direction must be sendrecv, sendonly, recvonly or inactive");
                return;
            }
            idText = idText[..slash];
        }
        if (!SdpFields.TryParseInt(idText, out var id) || id is < 1 or > 255)
        {
            context.Error(line, "extmap id must be a number from 1 to 255");
            return;
        }
        if (f[1].Length > 512 || f[1].Any(char.IsControl))
        {
            context.Error(line, "extmap URI is not valid");
            return;
        }
        if (extmaps.Find(e => e.Id == id) is { } existing)
        {
            if (existing.Uri != f[1])
                context.Error(line, $"extmap id {id} is mapped twice");
            return;
        }
        extmaps.Add(new SdpExtmap(id, direction, f[1], f.Length > 2 ? string.Join(' ', f[2..]) : null));
    }

    /// <summary>a=ssrc:&lt;ssrc-id&gt; &lt;attribute&gt;[:&lt;value&gt;] (RFC 5576 §4.1); cname and msid are kept.</summary>
    private static void ParseSsrc(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        var space = value.IndexOf(' ');
        var idText = space < 0 ? value : value[..space];
        if (!SdpFields.TryParseUInt(idText, out var ssrc))
        {
            context.Error(line, "ssrc must start with a 32-bit SSRC number");
            return;
        }
        if (!media.Ssrcs.TryGetValue(ssrc, out var entry))
        {
            if (media.Ssrcs.Count >= 64)
            {
                context.Warning(line, "more than 64 SSRCs in one m= section; ignored");
                return;
            }
            entry = new SdpSsrc(ssrc, null, null, null);
            media.SsrcOrder.Add(ssrc);
        }
        var attribute = space < 0 ? ReadOnlySpan<char>.Empty : value[(space + 1)..].Trim();
        var colon = attribute.IndexOf(':');
        var attrName = colon < 0 ? attribute : attribute[..colon];
        var attrValue = colon < 0 ? ReadOnlySpan<char>.Empty : attribute[(colon + 1)..].Trim();
        if (attrName.SequenceEqual("cname"))
        {
            if (attrValue.IsEmpty)
            {
                context.Error(line, "ssrc cname is empty");
                return;
            }
            entry = entry with { Cname = attrValue.ToString() };
        }
        else if (attrName.SequenceEqual("msid"))
        {
            var f = SdpFields.Split(attrValue);
            if (f.Length is < 1 or > 2)
            {
                context.Error(line, "ssrc msid must be '<stream id> [<track id>]'");
                return;
            }
            entry = entry with { MsidStreamId = f[0], MsidTrackId = f.Length > 1 ? f[1] : null };
        }
        media.Ssrcs[ssrc] = entry;
    }

    /// <summary>a=ssrc-group:&lt;semantics&gt; *(SP ssrc-id) (RFC 5576 §4.2); FID pairs are primary then RTX.</summary>
    private static void ParseSsrcGroup(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        if (f.Length < 2 || !SdpFields.IsToken(f[0], 64))
        {
            context.Error(line, "ssrc-group must be '<semantics> <ssrc> ...'");
            return;
        }
        var ssrcs = new uint[f.Length - 1];
        for (var i = 0; i < ssrcs.Length; i++)
        {
            if (!SdpFields.TryParseUInt(f[i + 1], out ssrcs[i]))
            {
                context.Error(line, "ssrc-group members must be 32-bit SSRC numbers");
                return;
            }
        }
        if (f[0].Equals("FID", StringComparison.OrdinalIgnoreCase) && ssrcs.Length != 2)
        {
            context.Error(line, "ssrc-group:FID must name exactly two SSRCs (primary, retransmission)");
            return;
        }
        if (media.SsrcGroups.Count < 32)
            media.SsrcGroups.Add(new SdpSsrcGroup(f[0], ssrcs));
    }

    /// <summary>
    /// a=candidate:&lt;foundation&gt; &lt;component&gt; &lt;transport&gt; &lt;priority&gt; &lt;address&gt; &lt;port&gt;
    /// typ &lt;type&gt; [raddr &lt;addr&gt;] [rport &lt;port&gt;] *(SP extension) (RFC 8839 §5.1). Kept for logs; a
    /// malformed candidate is a warning, since addresses from SDP are never used.
    /// </summary>
    private static void ParseCandidate(ReadOnlySpan<char> value, int line, MediaBuilder media, SdpParseContext context)
    {
        var f = SdpFields.Split(value);
        if (f.Length < 8 || f[6] != "typ" || !SdpFields.IsToken(f[0], 32)
            || !SdpFields.TryParseInt(f[1], out var component) || component is < 1 or > 256
            || !SdpFields.TryParseUInt(f[3], out var priority)
            || !SdpFields.TryParseInt(f[5], out var port) || port > 65535)
        {
            context.Warning(line, "malformed candidate; ignored");
            return;
        }
        string? relatedAddress = null;
        int? relatedPort = null;
        for (var i = 8; i + 1 < f.Length; i += 2)
        {
            if (f[i] == "raddr")
                relatedAddress = f[i + 1];
            else if (f[i] == "rport" && SdpFields.TryParseInt(f[i + 1], out var rport) && rport <= 65535)
                relatedPort = rport;
        }
        if (media.Candidates.Count < 64)
            media.Candidates.Add(new SdpCandidate(f[0], component, f[2], priority, f[4], port, f[7], relatedAddress, relatedPort));
    }
}
