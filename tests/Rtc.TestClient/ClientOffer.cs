using System.Text;
using MediaPlane.Contracts;
using MediaPlane.Dtls;

namespace Rtc.TestClient;

/// <summary>One m= section our client offers: a track it sends (publish) or a receive-only slot (subscribe).</summary>
public sealed record OfferedTrack(MediaKind Kind, uint? Ssrc)
{
    /// <summary>What we send and accept: Opus 111 and VP8 96 with RTX 97, as browsers number them.</summary>
    public byte PayloadType => Kind == MediaKind.Audio ? (byte)111 : (byte)96;

    public int ClockRate => Kind == MediaKind.Audio ? 48000 : 90000;
}

/// <summary>
/// Writes the SDP offer of our own client (RFC 8829 shape, as a browser would): BUNDLE, rtcp-mux,
/// actpass, our ICE credentials and fingerprint, and per section Opus or VP8 with nack/pli and a=ssrc
/// for what we send.
/// </summary>
public static class ClientOffer
{
    public static string Write(string iceUfrag, string icePassword, DtlsFingerprint fingerprint, IReadOnlyList<OfferedTrack> tracks, bool publish)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line($"o=- {Random.Shared.NextInt64(1, long.MaxValue)} 2 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        Line($"a=group:BUNDLE {string.Join(' ', Enumerable.Range(0, tracks.Count))}");
        Line("a=msid-semantic:WMS *");
        for (int i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i];
            bool audio = track.Kind == MediaKind.Audio;
            Line(audio ? $"m=audio 9 UDP/TLS/RTP/SAVPF {track.PayloadType}" : $"m=video 9 UDP/TLS/RTP/SAVPF {track.PayloadType} 97");
            Line("c=IN IP4 0.0.0.0");
            Line("a=rtcp:9 IN IP4 0.0.0.0");
            Line($"a=ice-ufrag:{iceUfrag}");
            Line($"a=ice-pwd:{icePassword}");
            Line("a=ice-options:trickle");
            Line($"a=fingerprint:{fingerprint}");
            Line("a=setup:actpass");
            Line($"a=mid:{i}");
            Line(publish ? "a=sendonly" : "a=recvonly");
            Line("a=rtcp-mux");
            Line("a=rtcp-rsize");
            if (audio)
            {
                Line($"a=rtpmap:{track.PayloadType} opus/48000/2");
                Line($"a=fmtp:{track.PayloadType} minptime=10;useinbandfec=1");
            }
            else
            {
                Line($"a=rtpmap:{track.PayloadType} VP8/90000");
                Line($"a=rtcp-fb:{track.PayloadType} nack");
                Line($"a=rtcp-fb:{track.PayloadType} nack pli");
                Line($"a=rtcp-fb:{track.PayloadType} ccm fir");
                Line("a=rtpmap:97 rtx/90000");
                Line($"a=fmtp:97 apt={track.PayloadType}");
            }
            if (publish && track.Ssrc is { } ssrc)
            {
                Line($"a=msid:client track{i}");
                Line($"a=ssrc:{ssrc} cname:loadgen");
                Line($"a=ssrc:{ssrc} msid:client track{i}");
            }
        }
        return sdp.ToString();
    }
}
