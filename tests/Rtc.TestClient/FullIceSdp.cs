using System.Net;
using System.Text;
using MediaPlane.Dtls;

namespace Rtc.TestClient;

/// <summary>
/// SDP for a full ICE peer (one that gathers its own candidates and checks ours, such as Janus), where our
/// client must name its own host candidate and stay the DTLS client whichever side offers:
/// <list type="bullet">
/// <item>as offerer (publishing): the usual client offer with a=setup:active and our candidate;</item>
/// <item>as answerer (subscribing): an answer to the peer's offer that keeps its mids, kinds and payload
/// types, receives only, and says a=setup:active (RFC 8842 §5.3) so the peer is the DTLS server.</item>
/// </list>
/// </summary>
public static class FullIceSdp
{
    /// <summary>A host candidate line for our one socket (RFC 8839 §5.1), component 1 as rtcp-mux has only that.</summary>
    public static string CandidateLine(IPEndPoint local) =>
        $"a=candidate:1 1 udp 2130706431 {local.Address} {local.Port} typ host";

    /// <summary>Our client offer (<see cref="ClientOffer"/>) made DTLS-active, with our host candidate and no trickle.</summary>
    public static string WriteOffer(string iceUfrag, string icePassword, DtlsFingerprint fingerprint, IReadOnlyList<OfferedTrack> tracks, bool publish, IPEndPoint local)
    {
        var offer = ClientOffer.Write(iceUfrag, icePassword, fingerprint, tracks, publish);
        return offer
            .Replace("a=setup:actpass\r\n", "a=setup:active\r\n", StringComparison.Ordinal)
            .Replace("a=ice-options:trickle\r\n", $"{CandidateLine(local)}\r\na=end-of-candidates\r\n", StringComparison.Ordinal);
    }

    /// <summary>The mids of the offer's m= sections, in order (null where a section has none).</summary>
    public static IReadOnlyList<string?> Mids(string sdp)
    {
        var mids = new List<string?>();
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("m=", StringComparison.Ordinal))
                mids.Add(null);
            else if (line.StartsWith("a=mid:", StringComparison.Ordinal) && mids.Count > 0)
                mids[^1] ??= line["a=mid:".Length..];
        }
        return mids;
    }

    /// <summary>
    /// A receive-only answer to <paramref name="offerSdp"/> (parsed as <paramref name="offer"/>): every audio
    /// or video section accepted with its first payload type, anything else rejected with port 0.
    /// </summary>
    public static string WriteAnswer(string offerSdp, ClientAnswer offer, string iceUfrag, string icePassword, DtlsFingerprint fingerprint, IPEndPoint local)
    {
        var mids = Mids(offerSdp);
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line($"o=- {Random.Shared.NextInt64(1, long.MaxValue)} 2 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        var accepted = Enumerable.Range(0, offer.Sections.Count)
            .Where(i => offer.Sections[i].Kind is "audio" or "video" && offer.Sections[i].PayloadType is not null && mids[i] is not null)
            .ToList();
        Line($"a=group:BUNDLE {string.Join(' ', accepted.Select(i => mids[i]))}");
        Line("a=msid-semantic:WMS *");
        for (int i = 0; i < offer.Sections.Count; i++)
        {
            var section = offer.Sections[i];
            if (!accepted.Contains(i))
            {
                Line($"m={section.Kind} 0 UDP/TLS/RTP/SAVPF {section.PayloadType ?? 0}");
                Line("c=IN IP4 0.0.0.0");
                if (mids[i] is { } mid)
                    Line($"a=mid:{mid}");
                Line("a=inactive");
                continue;
            }
            byte pt = section.PayloadType!.Value;
            bool audio = section.Kind == "audio";
            Line($"m={section.Kind} 9 UDP/TLS/RTP/SAVPF {pt}");
            Line("c=IN IP4 0.0.0.0");
            Line("a=rtcp:9 IN IP4 0.0.0.0");
            Line($"a=ice-ufrag:{iceUfrag}");
            Line($"a=ice-pwd:{icePassword}");
            Line($"a=fingerprint:{fingerprint}");
            Line("a=setup:active");
            Line($"a=mid:{mids[i]}");
            Line("a=recvonly");
            Line("a=rtcp-mux");
            Line(audio ? $"a=rtpmap:{pt} opus/48000/2" : $"a=rtpmap:{pt} VP8/90000");
            if (!audio)
            {
                Line($"a=rtcp-fb:{pt} nack");
                Line($"a=rtcp-fb:{pt} nack pli");
            }
            if (i == accepted[0])
            {
                Line(CandidateLine(local));
                Line("a=end-of-candidates");
            }
        }
        return sdp.ToString();
    }
}
