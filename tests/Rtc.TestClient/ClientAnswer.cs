using System.Net;
using MediaPlane.Dtls;

namespace Rtc.TestClient;

/// <summary>
/// What our client needs from the server's SDP answer: ICE credentials, fingerprint, the one host
/// candidate, and per section the payload type and the SSRCs the server will send. Tolerant: a line it
/// does not need is skipped; what it needs and cannot find is an error.
/// </summary>
public sealed record ClientAnswer(string IceUfrag, string IcePassword, DtlsFingerprint Fingerprint, IPEndPoint Candidate, IReadOnlyList<ClientAnswer.Section> Sections)
{
    public sealed record Section(string Kind, int Port, byte? PayloadType, IReadOnlyList<uint> Ssrcs);

    public static bool TryParse(string sdp, out ClientAnswer? answer, out string error)
    {
        answer = null;
        string? ufrag = null, password = null;
        DtlsFingerprint? fingerprint = null;
        IPEndPoint? candidate = null;
        var sections = new List<(string Kind, int Port, byte? Pt, List<uint> Ssrcs)>();
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                var parts = line[2..].Split(' ');
                if (parts.Length < 4 || !int.TryParse(parts[1], out int port))
                {
                    error = $"bad m= line '{line}'";
                    return false;
                }
                sections.Add((parts[0], port, byte.TryParse(parts[3], out var pt) ? pt : null, []));
            }
            else if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
                ufrag ??= line["a=ice-ufrag:".Length..];
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
                password ??= line["a=ice-pwd:".Length..];
            else if (line.StartsWith("a=fingerprint:", StringComparison.Ordinal) && fingerprint is null)
                DtlsFingerprint.TryParse(line.AsSpan("a=fingerprint:".Length), out fingerprint);
            else if (line.StartsWith("a=candidate:", StringComparison.Ordinal) && candidate is null)
            {
                // a=candidate:foundation component transport priority address port typ host
                var parts = line.Split(' ');
                if (parts.Length >= 6 && IPAddress.TryParse(parts[4], out var address) && int.TryParse(parts[5], out int port))
                    candidate = new IPEndPoint(address, port);
            }
            else if (line.StartsWith("a=ssrc:", StringComparison.Ordinal) && sections.Count > 0)
            {
                var id = line["a=ssrc:".Length..].Split(' ')[0];
                if (uint.TryParse(id, out uint ssrc) && !sections[^1].Ssrcs.Contains(ssrc))
                    sections[^1].Ssrcs.Add(ssrc);
            }
        }
        if (ufrag is null || password is null || fingerprint is null || candidate is null)
        {
            error = "answer lacks ice-ufrag, ice-pwd, fingerprint or a host candidate";
            return false;
        }
        answer = new ClientAnswer(ufrag, password, fingerprint, candidate,
            sections.Select(s => new Section(s.Kind, s.Port, s.Pt, s.Ssrcs)).ToList());
        error = "";
        return true;
    }
}
