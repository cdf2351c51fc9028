using MediaPlane.Srtp;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// Fuzzes SrtpSession.UnprotectRtp and UnprotectRtcp. The first input byte picks the profile and whether
/// the rest is treated as SRTP or SRTCP; sessions are keyed with fixed keys, so the fuzzer can only reach
/// the authenticated path by luck, but every parse, length and replay branch before it is exercised.
/// </summary>
public sealed class SrtpUnprotectTarget : IFuzzTarget
{
    private static readonly SrtpProfile[] Profiles =
    [
        SrtpProfile.AesCm128HmacSha1_80,
        SrtpProfile.AesCm128HmacSha1_32,
        SrtpProfile.AeadAes128Gcm,
        SrtpProfile.AeadAes256Gcm,
    ];

    private readonly SrtpSession[] _sessions = Profiles
        .Select(p => new SrtpSession(p, new byte[p.MasterKeyLength()], new byte[p.MasterSaltLength()], maxSsrcs: 16))
        .ToArray();

    private readonly byte[] _buffer = new byte[70_000];

    public string Name => "srtp";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty || input.Length > _buffer.Length + 1)
            return;
        var session = _sessions[input[0] & 3];
        var packet = _buffer.AsSpan(0, input.Length - 1);
        input[1..].CopyTo(packet);
        if ((input[0] & 4) == 0)
            session.UnprotectRtp(packet, packet.Length, out _);
        else
            session.UnprotectRtcp(packet, packet.Length, out _);
    }
}
