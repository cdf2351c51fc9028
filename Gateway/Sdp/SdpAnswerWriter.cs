using System.Net.Sockets;
using System.Text;

namespace Gateway.Sdp;

/// <summary>
/// Writes the SDP answer (RFC 8829 §5.3.1, RFC 9725 §4.3) for a <see cref="NegotiatedSession"/>:
/// ICE-lite, one host candidate (the silo's advertised address and its single UDP port), BUNDLE with the
/// accepted mids, rtcp-mux, and per section the chosen codec, RTX, feedback and extensions. Rejected
/// sections get port 0 (RFC 3264 §6). Lines end with CRLF.
/// </summary>
public static class SdpAnswerWriter
{
    /// <summary>Host candidate priority (RFC 8445 §5.1.2.1): type preference 126, local preference 65535, component 1.</summary>
    public const uint HostCandidatePriority = (126u << 24) | (65535u << 8) | (256u - 1);

    /// <param name="session">The negotiated offer.</param>
    /// <param name="local">Our ICE credentials, fingerprint, address and port.</param>
    /// <param name="outgoingTracks">For WHEP: what we send in each section, by mid. A section whose answer
    /// direction is sendonly but has no track here is written inactive.</param>
    public static string Write(
        NegotiatedSession session,
        LocalSdpParameters local,
        IReadOnlyDictionary<string, OutgoingTrack>? outgoingTracks = null)
    {
        Validate(local);
        var ipVersion = local.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var address = local.Address.ToString();
        var sdp = new StringBuilder(2048);

        // Session level (RFC 8866 §5: v, o, s, t come first and in this order).
        Line(sdp, "v=0");
        Line(sdp, $"o=- {local.SessionId} {local.SessionVersion} IN {ipVersion} {address}");
        Line(sdp, "s=-");
        Line(sdp, "t=0 0");
        Line(sdp, "a=ice-lite");
        if (session.Bundled && session.BundleMids.Count > 0)
            Line(sdp, $"a=group:BUNDLE {string.Join(' ', session.BundleMids)}");
        if (session.ExtmapAllowMixed)
            Line(sdp, "a=extmap-allow-mixed");
        if (session.Mode == NegotiationMode.Subscribe)
            Line(sdp, "a=msid-semantic:WMS *");

        foreach (var media in session.Media)
        {
            if (media.Accepted)
                WriteAccepted(sdp, session, media, local, ipVersion, address, outgoingTracks);
            else
                WriteRejected(sdp, media);
        }
        return sdp.ToString();
    }

    private static void WriteAccepted(
        StringBuilder sdp,
        NegotiatedSession session,
        NegotiatedMedia media,
        LocalSdpParameters local,
        string ipVersion,
        string address,
        IReadOnlyDictionary<string, OutgoingTrack>? outgoingTracks)
    {
        var codec = media.Codec!;
        var formats = media.RtxPayloadType is { } rtxPt ? $"{codec.PayloadType} {rtxPt}" : $"{codec.PayloadType}";
        Line(sdp, $"m={media.MediaType} {local.Port} {media.Protocol} {formats}");
        Line(sdp, $"c=IN {ipVersion} {address}");
        if (media.Mid is not null)
            Line(sdp, $"a=mid:{media.Mid}");
        Line(sdp, $"a=ice-ufrag:{local.IceUfrag}");
        Line(sdp, $"a=ice-pwd:{local.IcePwd}");
        Line(sdp, $"a=fingerprint:{local.Fingerprint}");
        Line(sdp, $"a=setup:{session.LocalSetup.ToSdp()}");

        OutgoingTrack? track = null;
        if (media.AnswerDirection.Sends() && media.Mid is not null)
            outgoingTracks?.TryGetValue(media.Mid, out track);
        var direction = media.AnswerDirection.Sends() && track is null ? MediaDirection.Inactive : media.AnswerDirection;
        Line(sdp, $"a={direction.ToSdp()}");
        if (track is not null)
            Line(sdp, $"a=msid:{track.StreamId} {track.TrackId}");
        Line(sdp, "a=rtcp-mux");
        if (media.RtcpRsize)
            Line(sdp, "a=rtcp-rsize");
        foreach (var ext in media.Extensions)
        {
            var dir = ext.Direction is { } d ? "/" + d.ToSdp() : string.Empty;
            Line(sdp, $"a=extmap:{ext.Id}{dir} {ext.Uri}");
        }

        Line(sdp, $"a=rtpmap:{codec.PayloadType} {codec.RtpMap}");
        foreach (var fb in media.Feedback)
            Line(sdp, $"a=rtcp-fb:{codec.PayloadType} {fb}");
        if (codec.Fmtp is not null)
            Line(sdp, $"a=fmtp:{codec.PayloadType} {codec.Fmtp}");
        if (media.RtxPayloadType is { } rtx)
        {
            Line(sdp, $"a=rtpmap:{rtx} rtx/{codec.ClockRate}");
            Line(sdp, $"a=fmtp:{rtx} apt={codec.PayloadType}");
        }

        if (media.SimulcastRids.Count > 0)
        {
            // RFC 8853 §5.3: the answer mirrors the kept streams, receiving them.
            foreach (var rid in media.SimulcastRids)
                Line(sdp, $"a=rid:{rid} recv");
            Line(sdp, $"a=simulcast:recv {string.Join(';', media.SimulcastRids)}");
        }

        if (track is not null)
        {
            var rtxSsrc = media.RtxPayloadType is not null ? track.RtxSsrc : null;
            if (rtxSsrc is { } r)
                Line(sdp, $"a=ssrc-group:FID {track.Ssrc} {r}");
            WriteSsrc(sdp, track.Ssrc, track);
            if (rtxSsrc is { } r2)
                WriteSsrc(sdp, r2, track);
        }

        Line(sdp, $"a=candidate:1 1 UDP {HostCandidatePriority} {address} {local.Port} typ host");
        Line(sdp, "a=end-of-candidates");
    }

    /// <summary>Our own parameters must be valid SDP; a bad value here is a programming error, not input.</summary>
    private static void Validate(LocalSdpParameters local)
    {
        if (local.IceUfrag.Length is < 4 or > 256 || !SdpFields.IsIceChars(local.IceUfrag))
            throw new ArgumentException("local ICE ufrag must be 4-256 ice-chars", nameof(local));
        if (local.IcePwd.Length is < 22 or > 256 || !SdpFields.IsIceChars(local.IcePwd))
            throw new ArgumentException("local ICE password must be 22-256 ice-chars", nameof(local));
        if (local.Port is < 1 or > 65535)
            throw new ArgumentException("local port must be 1-65535", nameof(local));
    }

    private static void WriteSsrc(StringBuilder sdp, uint ssrc, OutgoingTrack track)
    {
        Line(sdp, $"a=ssrc:{ssrc} cname:{track.Cname}");
        Line(sdp, $"a=ssrc:{ssrc} msid:{track.StreamId} {track.TrackId}");
    }

    /// <summary>RFC 3264 §6 / RFC 8829 §5.3.1: a rejected section keeps its place with port 0.</summary>
    private static void WriteRejected(StringBuilder sdp, NegotiatedMedia media)
    {
        var formats = media.OfferedFormats.Count > 0 ? string.Join(' ', media.OfferedFormats) : "0";
        Line(sdp, $"m={media.MediaType} 0 {media.Protocol} {formats}");
        Line(sdp, "c=IN IP4 0.0.0.0");
        if (media.Mid is not null)
            Line(sdp, $"a=mid:{media.Mid}");
        Line(sdp, "a=inactive");
    }

    private static void Line(StringBuilder sdp, string line) => sdp.Append(line).Append("\r\n");
}
