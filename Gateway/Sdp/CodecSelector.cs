using System.Globalization;

namespace Gateway.Sdp;

/// <summary>Picks the codec, its RTX payload type and feedback for one offered m= section.</summary>
internal static class CodecSelector
{
    public sealed record Choice(NegotiatedCodec Codec, int? RtxPayloadType, IReadOnlyList<SdpRtcpFeedback> Feedback);

    public static Choice? Select(MediaDescription media, ServerCapabilities capabilities)
    {
        (int Pt, SdpRtpMap Map, int Rank, CodecCapability Cap)? best = null;
        foreach (var pt in media.PayloadTypes)
        {
            var map = media.RtpMap(pt);
            if (map is null)
                continue; // static payload types (PCMU, PCMA, G722...) are not forwarded
            for (var rank = 0; rank < capabilities.Codecs.Count; rank++)
            {
                var cap = capabilities.Codecs[rank];
                if (!Matches(cap, media.Kind, map, media.Fmtp(pt)))
                    continue;
                if (best is null || (capabilities.PreferServerOrder && rank < best.Value.Rank))
                    best = (pt, map, rank, cap);
                break;
            }
            if (best is not null && !capabilities.PreferServerOrder)
                break;
        }
        if (best is not { } chosen)
            return null;

        var fmtp = media.Fmtp(chosen.Pt)?.Value;
        var codec = new NegotiatedCodec(chosen.Pt, chosen.Map.EncodingName, chosen.Map.ClockRate,
            media.Kind == MediaKind.Audio ? chosen.Map.Channels ?? 1 : chosen.Map.Channels,
            string.IsNullOrEmpty(fmtp) ? null : fmtp);
        var rtx = capabilities.Rtx ? FindRtx(media, chosen.Pt, chosen.Map.ClockRate) : null;
        var feedback = new List<SdpRtcpFeedback>();
        foreach (var fb in media.FeedbackFor(chosen.Pt))
        {
            var accepted = chosen.Cap.Feedback.Any(f => fb.ToString().Equals(f, StringComparison.OrdinalIgnoreCase));
            if (accepted && !feedback.Exists(f => f.Matches(fb.Type, fb.Parameter)))
                feedback.Add(new SdpRtcpFeedback(chosen.Pt, fb.Type, fb.Parameter));
        }
        return new Choice(codec, rtx, feedback);
    }

    /// <summary>Names the offered codecs of a section for an error message, e.g. <c>H264/90000 (profile-level-id=42e01f;packetization-mode=0)</c>.</summary>
    public static string DescribeOffered(MediaDescription media)
    {
        var names = media.PayloadTypes
            .Select(pt => (Map: media.RtpMap(pt), Fmtp: media.Fmtp(pt)))
            .Where(x => x.Map is not null && !IsAuxiliary(x.Map.EncodingName))
            .Select(x => x.Map!.Channels is { } ch ? $"{x.Map.EncodingName}/{x.Map.ClockRate}/{ch}" : $"{x.Map.EncodingName}/{x.Map.ClockRate}")
            .Distinct()
            .ToList();
        return names.Count == 0 ? "no codecs" : string.Join(", ", names);
    }

    private static bool IsAuxiliary(string name) =>
        name.Equals("rtx", StringComparison.OrdinalIgnoreCase) || name.Equals("red", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ulpfec", StringComparison.OrdinalIgnoreCase) || name.Equals("flexfec-03", StringComparison.OrdinalIgnoreCase)
        || name.Equals("telephone-event", StringComparison.OrdinalIgnoreCase) || name.Equals("CN", StringComparison.OrdinalIgnoreCase);

    private static bool Matches(CodecCapability cap, MediaKind kind, SdpRtpMap map, SdpFmtp? fmtp)
    {
        if (cap.Kind != kind || cap.ClockRate != map.ClockRate
            || !cap.Name.Equals(map.EncodingName, StringComparison.OrdinalIgnoreCase))
            return false;
        if (kind == MediaKind.Audio && (map.Channels ?? 1) != (cap.Channels ?? 1))
            return false;
        if (cap.H264PacketizationMode is { } mode && IntParameter(fmtp, "packetization-mode", 0) != mode)
            return false;
        if (cap.H264Profile is { } profile
            && (!H264ProfileLevelId.TryFromFmtp(fmtp, out var offered) || !offered.SameProfile(profile)))
            return false;
        if (cap.Vp9ProfileId is { } vp9 && IntParameter(fmtp, "profile-id", 0) != vp9)
            return false;
        if (cap.Av1Profile is { } av1 && IntParameter(fmtp, "profile", 0) != av1)
            return false;
        return true;
    }

    /// <summary>An fmtp integer parameter; absent gives the default, unparsable gives -1 (matches nothing).</summary>
    private static int IntParameter(SdpFmtp? fmtp, string name, int absent)
    {
        var text = fmtp?.Get(name);
        if (text is null)
            return absent;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
    }

    /// <summary>RFC 4588 §8.1: <c>a=rtpmap:&lt;pt&gt; rtx/&lt;clock&gt;</c> with <c>a=fmtp:&lt;pt&gt; apt=&lt;codec pt&gt;</c>.</summary>
    private static int? FindRtx(MediaDescription media, int codecPt, int clockRate)
    {
        foreach (var pt in media.PayloadTypes)
        {
            var map = media.RtpMap(pt);
            if (map is null || !map.EncodingName.Equals("rtx", StringComparison.OrdinalIgnoreCase) || map.ClockRate != clockRate)
                continue;
            if (IntParameter(media.Fmtp(pt), "apt", -1) == codecPt)
                return pt;
        }
        return null;
    }
}
