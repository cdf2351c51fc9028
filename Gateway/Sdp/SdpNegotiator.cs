namespace Gateway.Sdp;

/// <summary>
/// Decides the answer to a client's offer (RFC 3264 offer/answer as profiled by RFC 8829 JSEP, RFC 9725
/// WHIP and the WHEP draft). The server is ICE-lite on one UDP port, so every accepted section must share
/// one BUNDLE transport (RFC 8843) with rtcp-mux (RFC 8858): one ICE ufrag, one DTLS fingerprint.
/// Order of checks: syntax (400), transport and security (400), then media (406). Never throws.
/// </summary>
public static class SdpNegotiator
{
    /// <summary>Only this profile carries WebRTC media (RFC 8827 §6.5, RFC 5764).</summary>
    public const string RtpProtocol = "UDP/TLS/RTP/SAVPF";

    /// <summary>Parses and negotiates an offer; parse errors come back as a 400 with line numbers.</summary>
    public static SdpNegotiationResult Negotiate(string? offerSdp, NegotiationMode mode, ServerCapabilities? capabilities = null)
    {
        var parsed = SdpParser.Parse(offerSdp);
        if (!parsed.Success)
        {
            return SdpNegotiationResult.Fail(new SdpNegotiationError(SdpNegotiationErrorCode.MalformedSdp, 400,
                $"malformed SDP offer: {parsed.ErrorMessage}") { ParseErrors = parsed.Errors });
        }
        return Negotiate(parsed.Description, mode, capabilities);
    }

    /// <summary>Negotiates a parsed offer. <paramref name="sectionCapabilities"/>, if given, chooses the
    /// capabilities per m= section (e.g. a WHEP subscriber's sections, each bound to a different publisher's
    /// track and codec); otherwise <paramref name="capabilities"/> applies to all.</summary>
    public static SdpNegotiationResult Negotiate(
        SessionDescription offer,
        NegotiationMode mode,
        ServerCapabilities? capabilities = null,
        Func<MediaDescription, ServerCapabilities>? sectionCapabilities = null)
    {
        try
        {
            return NegotiateCore(offer, mode, capabilities ?? ServerCapabilities.Default, sectionCapabilities);
        }
        catch (Exception e)
        {
            return SdpNegotiationResult.Fail(SdpNegotiationError.BadRequest(SdpNegotiationErrorCode.MalformedSdp,
                $"offer could not be negotiated ({e.GetType().Name})"));
        }
    }

    internal static SdpNegotiationResult NegotiateCore(
        SessionDescription offer,
        NegotiationMode mode,
        ServerCapabilities capabilities,
        Func<MediaDescription, ServerCapabilities>? sectionCapabilities)
    {
        if (offer.Media.Count == 0)
            return Fail400(SdpNegotiationErrorCode.NoMedia, "offer has no m= section");

        var bundle = offer.BundleGroup;
        if (bundle is null && offer.Media.Count > 1)
            return Fail400(SdpNegotiationErrorCode.NotBundled,
                "offer has several m= sections but no a=group:BUNDLE; this server uses one transport (RFC 8843)");

        // Sections that would share our transport: not already rejected (port 0 without a=bundle-only,
        // RFC 8843 §6), in the BUNDLE group if there is one.
        var transportSections = offer.Media
            .Where(m => (m.Port != 0 || (m.BundleOnly && bundle is not null)) && (bundle is null || (m.Mid is not null && bundle.Mids.Contains(m.Mid))))
            .ToList();
        if (transportSections.Count == 0)
            return Fail400(SdpNegotiationErrorCode.NotBundled, "no m= section of the offer is in its BUNDLE group");

        if (CheckTransport(offer, transportSections) is { } transportError)
            return SdpNegotiationResult.Fail(transportError);
        var first = transportSections[0];
        var ufrag = offer.EffectiveIceUfrag(first)!;
        var pwd = offer.EffectiveIcePwd(first)!;

        var fingerprints = offer.EffectiveFingerprints(first)
            .Where(f => FingerprintStrength(f.Algorithm) > 0)
            .OrderByDescending(f => FingerprintStrength(f.Algorithm))
            .ToList();
        if (fingerprints.Count == 0)
            return Fail400(SdpNegotiationErrorCode.UnsupportedFingerprint,
                "offer's DTLS fingerprints use no supported hash function (sha-256, sha-384, sha-512 or sha-1)");

        var remoteSetup = offer.EffectiveSetup(first) ?? SetupRole.ActPass;
        SetupRole localSetup;
        switch (remoteSetup)
        {
            case SetupRole.ActPass or SetupRole.Active: localSetup = SetupRole.Passive; break;
            case SetupRole.Passive: localSetup = SetupRole.Active; break;
            default:
                return Fail400(SdpNegotiationErrorCode.InvalidSetup, "a=setup:holdconn is not supported; offer actpass");
        }

        var media = new List<NegotiatedMedia>(offer.Media.Count);
        var unsupportedProtocols = new List<string>();
        var codecMisses = new List<string>();
        foreach (var section in offer.Media)
        {
            var caps = sectionCapabilities?.Invoke(section) ?? capabilities;
            media.Add(NegotiateSection(offer, section, mode, caps, transportSections.Contains(section),
                unsupportedProtocols, codecMisses));
        }

        var accepted = media.Where(m => m.Accepted).ToList();
        if (accepted.Count == 0)
        {
            if (codecMisses.Count > 0)
            {
                var supported = string.Join(", ", capabilities.Codecs.Select(c => c.ToString()));
                return Fail406(SdpNegotiationErrorCode.NoCommonCodec,
                    $"no codec in common: {string.Join("; ", codecMisses)}; this server supports {supported}");
            }
            if (unsupportedProtocols.Count > 0)
                return Fail406(SdpNegotiationErrorCode.UnsupportedProtocol,
                    $"unsupported transport protocol {string.Join(", ", unsupportedProtocols.Distinct())}; only {RtpProtocol} is supported");
            return Fail400(SdpNegotiationErrorCode.NoMedia,
                $"no m= section can be accepted: {string.Join("; ", media.Select(m => $"{m.MediaType} {m.Mid}: {m.RejectReason}"))}");
        }
        if (accepted.All(m => m.AnswerDirection == MediaDirection.Inactive))
        {
            return Fail400(SdpNegotiationErrorCode.NoUsableDirection, mode == NegotiationMode.Publish
                ? "a WHIP offer must send media (sendonly or sendrecv)"
                : "a WHEP offer must receive media (recvonly or sendrecv)");
        }

        var bundleMids = bundle is null
            ? []
            : bundle.Mids.Where(mid => accepted.Exists(m => m.Mid == mid)).ToArray();
        return SdpNegotiationResult.Ok(new NegotiatedSession
        {
            Mode = mode,
            Media = media,
            RemoteIceUfrag = ufrag,
            RemoteIcePwd = pwd,
            RemoteIceOptions = first.IceOptions.Count > 0 ? first.IceOptions : offer.IceOptions,
            RemoteFingerprint = fingerprints[0],
            RemoteFingerprints = fingerprints,
            RemoteSetup = remoteSetup,
            LocalSetup = localSetup,
            Bundled = bundle is not null,
            BundleMids = bundleMids,
            ExtmapAllowMixed = offer.ExtmapAllowMixed,
        });
    }

    /// <summary>The BUNDLE-tagged (first) section must carry ICE credentials and a DTLS fingerprint; other
    /// bundled sections may omit them (RFC 8843 §7.1: they share the tagged section's transport) but, where
    /// given, the ICE credentials must be the same.</summary>
    private static SdpNegotiationError? CheckTransport(SessionDescription offer, List<MediaDescription> sections)
    {
        var tagged = sections[0];
        var ufrag = offer.EffectiveIceUfrag(tagged);
        var pwd = offer.EffectiveIcePwd(tagged);
        if (ufrag is null || pwd is null)
            return SdpNegotiationError.BadRequest(SdpNegotiationErrorCode.MissingIceCredentials,
                $"m= section {Describe(tagged)} has no a=ice-ufrag/a=ice-pwd");
        if (offer.EffectiveFingerprints(tagged).Count == 0)
            return SdpNegotiationError.BadRequest(SdpNegotiationErrorCode.MissingFingerprint,
                $"m= section {Describe(tagged)} has no a=fingerprint; DTLS-SRTP needs the certificate fingerprint (RFC 8122)");
        foreach (var section in sections)
        {
            var u = offer.EffectiveIceUfrag(section);
            var p = offer.EffectiveIcePwd(section);
            if ((u is not null && u != ufrag) || (p is not null && p != pwd))
                return SdpNegotiationError.BadRequest(SdpNegotiationErrorCode.MissingIceCredentials,
                    "bundled m= sections must use the same ICE credentials");
        }
        return null;
    }

    private static NegotiatedMedia NegotiateSection(
        SessionDescription offer,
        MediaDescription section,
        NegotiationMode mode,
        ServerCapabilities capabilities,
        bool inTransport,
        List<string> unsupportedProtocols,
        List<string> codecMisses)
    {
        string? reject = null;
        CodecSelector.Choice? choice = null;
        if (section.Port == 0 && !section.BundleOnly)
            reject = "rejected by the offer (port 0)";
        else if (!section.Protocol.Equals(RtpProtocol, StringComparison.OrdinalIgnoreCase)
                 || section.Kind is not (MediaKind.Audio or MediaKind.Video))
        {
            reject = $"unsupported {section.MediaType} section with protocol {section.Protocol}";
            unsupportedProtocols.Add(section.Protocol);
        }
        else if (!inTransport)
            reject = "not in the BUNDLE group";
        else if (offer.Media.Count > 1 && section.Mid is null)
            reject = "no a=mid";
        else if (!section.RtcpMux)
            reject = "no a=rtcp-mux (RFC 8858); RTP and RTCP share one port here";
        else if ((choice = CodecSelector.Select(section, capabilities)) is null)
        {
            reject = "no codec in common";
            codecMisses.Add($"{section.MediaType} section {section.Mid ?? section.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)} offered {CodecSelector.DescribeOffered(section)}");
        }

        var common = new NegotiatedMedia
        {
            Index = section.Index,
            Mid = section.Mid,
            Kind = section.Kind,
            MediaType = section.MediaType,
            Protocol = section.Protocol,
            OfferedFormats = section.Formats,
            OfferDirection = section.Direction,
            Accepted = false,
            RejectReason = reject,
            AnswerDirection = MediaDirection.Inactive,
        };
        if (reject is not null || choice is null)
            return common;

        IReadOnlyList<string> layers = mode == NegotiationMode.Publish ? SimulcastLayers(section, choice.Codec.PayloadType, capabilities) : [];
        var (ssrc, rtxSsrc) = RemoteSsrcs(section);
        var ssrcEntry = ssrc is { } s ? section.Ssrcs.FirstOrDefault(x => x.Ssrc == s) : null;
        var msid = section.Msids.Count > 0
            ? section.Msids[0]
            : ssrcEntry?.MsidStreamId is { } stream ? new SdpMsid(stream, ssrcEntry.MsidTrackId) : null;

        return new NegotiatedMedia
        {
            Index = section.Index,
            Mid = section.Mid,
            Kind = section.Kind,
            MediaType = section.MediaType,
            Protocol = section.Protocol,
            OfferedFormats = section.Formats,
            OfferDirection = section.Direction,
            Accepted = true,
            Codec = choice.Codec,
            RtxPayloadType = choice.RtxPayloadType,
            Feedback = ForMode(choice.Feedback, mode),
            Extensions = Extensions(offer, section, mode, capabilities, simulcast: layers.Count > 0),
            AnswerDirection = AnswerDirection(section.Direction, mode),
            RemoteSsrc = ssrc,
            RemoteRtxSsrc = rtxSsrc,
            RemoteCname = ssrcEntry?.Cname,
            Msid = msid,
            RtcpRsize = section.RtcpRsize,
            OfferedSimulcast = section.HasSimulcast,
            SimulcastRids = layers,
        };
    }

    /// <summary>
    /// The streams of an offer's a=simulcast send list that we take, up to <see cref="ServerCapabilities.MaxSimulcastLayers"/>:
    /// for each stream the first alternative with an a=rid send line (RFC 8853 §5.2) whose pt= list, if any, allows the
    /// chosen codec (RFC 8851 §4). Paused streams are kept (the sender may resume them).
    /// </summary>
    private static IReadOnlyList<string> SimulcastLayers(MediaDescription section, int payloadType, ServerCapabilities capabilities)
    {
        if (section.Simulcast is not { } simulcast || capabilities.MaxSimulcastLayers < 2)
            return [];
        var layers = new List<string>();
        foreach (var alternatives in simulcast.Send)
        {
            var usable = alternatives.FirstOrDefault(a => section.Rids.Any(r =>
                r.Id == a.Rid && r.Direction == MediaDirection.SendOnly && (r.PayloadTypes.Count == 0 || r.PayloadTypes.Contains(payloadType))));
            if (usable is not null && !layers.Contains(usable.Rid))
                layers.Add(usable.Rid);
            if (layers.Count == capabilities.MaxSimulcastLayers)
                break;
        }
        // One stream is not simulcast: answer without a=simulcast, and the sender sends that one stream.
        return layers.Count >= 2 ? layers : [];
    }

    /// <summary>RFC 3264 §6.1: the answer mirrors the offer, limited to the flow the endpoint serves.</summary>
    internal static MediaDirection AnswerDirection(MediaDirection offered, NegotiationMode mode) => mode switch
    {
        NegotiationMode.Publish => offered.Sends() ? MediaDirection.RecvOnly : MediaDirection.Inactive,
        _ => offered.Receives() ? MediaDirection.SendOnly : MediaDirection.Inactive,
    };

    /// <summary>Primary and RTX SSRC from a=ssrc-group:FID (RFC 4588 §8.1), else the first a=ssrc.</summary>
    private static (uint? Primary, uint? Rtx) RemoteSsrcs(MediaDescription section)
    {
        var fid = section.SsrcGroups.FirstOrDefault(g => g.IsFid && g.Ssrcs.Count == 2);
        if (fid is not null)
            return (fid.Ssrcs[0], fid.Ssrcs[1]);
        return section.Ssrcs.Count > 0 ? (section.Ssrcs[0].Ssrc, null) : (null, null);
    }

    /// <summary>
    /// transport-cc is answered for publishers only: the media plane sends a publisher transport-cc feedback for its
    /// transport-wide sequence numbers, but does not number what it sends subscribers, and a browser that negotiated
    /// transport-cc without getting feedback throttles itself. goog-remb is answered for publishers only and only
    /// without transport-cc: the media plane sends REMB as the fallback, and reads no subscriber's REMB.
    /// </summary>
    private static IReadOnlyList<SdpRtcpFeedback> ForMode(IReadOnlyList<SdpRtcpFeedback> feedback, NegotiationMode mode)
    {
        if (mode != NegotiationMode.Publish)
            return feedback.Where(f => !f.Matches("transport-cc", null) && !f.Matches("goog-remb", null)).ToList();
        return feedback.Any(f => f.Matches("transport-cc", null)) ? feedback.Where(f => !f.Matches("goog-remb", null)).ToList() : feedback;
    }

    /// <summary>Offered extensions we support, keeping the offer's ids (RFC 8285 §7). An extension the
    /// offerer will not send (publish) or receive (subscribe) is left out, and so are the RID extensions of a
    /// section we do not take as simulcast.</summary>
    private static IReadOnlyList<NegotiatedExtension> Extensions(
        SessionDescription offer, MediaDescription section, NegotiationMode mode, ServerCapabilities capabilities, bool simulcast)
    {
        var result = new List<NegotiatedExtension>();
        foreach (var ext in section.Extmaps.Concat(offer.Extmaps))
        {
            if (!capabilities.SupportsExtension(ext.Uri, section.Kind) || result.Exists(e => e.Id == ext.Id || e.Uri == ext.Uri))
                continue;
            if (!simulcast && ext.Uri is RtpHeaderExtensionUris.RtpStreamId or RtpHeaderExtensionUris.RepairedRtpStreamId)
                continue;
            if (mode != NegotiationMode.Publish && ext.Uri == RtpHeaderExtensionUris.TransportWideCc)
                continue;
            var usable = ext.Direction is null || (mode == NegotiationMode.Publish ? ext.Direction.Value.Sends() : ext.Direction.Value.Receives());
            if (!usable)
                continue;
            MediaDirection? answer = ext.Direction switch
            {
                MediaDirection.SendOnly => MediaDirection.RecvOnly,
                MediaDirection.RecvOnly => MediaDirection.SendOnly,
                _ => null,
            };
            result.Add(new NegotiatedExtension(ext.Id, ext.Uri, answer));
        }
        return result;
    }

    /// <summary>0 for hash functions we refuse (MD2, MD5: RFC 8122 §5 forbids them for new work).</summary>
    private static int FingerprintStrength(string algorithm) => algorithm switch
    {
        "sha-512" => 5,
        "sha-384" => 4,
        "sha-256" => 3,
        "sha-224" => 2,
        "sha-1" => 1,
        _ => 0,
    };

    private static string Describe(MediaDescription section) =>
        section.Mid is { } mid ? $"'{mid}' ({section.MediaType})" : $"{section.Index} ({section.MediaType})";

    private static SdpNegotiationResult Fail400(SdpNegotiationErrorCode code, string reason) =>
        SdpNegotiationResult.Fail(SdpNegotiationError.BadRequest(code, reason));

    private static SdpNegotiationResult Fail406(SdpNegotiationErrorCode code, string reason) =>
        SdpNegotiationResult.Fail(SdpNegotiationError.NotAcceptable(code, reason));
}
