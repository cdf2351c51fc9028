namespace MediaPlane.Rtp;

/// <summary>
/// Client-to-mixer audio level, RFC 6464 §3 (urn:ietf:params:rtp-hdrext:ssrc-audio-level):
/// <code>
///   0                   1
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |  ID   | len=0 |V| level       |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// V: the sender's voice activity flag (if negotiated with vad=on). Level: 0-127, in -dBov (0 loudest,
/// 127 silence). Some senders pad the element to 4 bytes (§3, two-byte form); only the first byte counts.
/// </summary>
public static class AudioLevelExtension
{
    public const int Length = 1;

    public static bool TryRead(ReadOnlySpan<byte> value, out bool voiceActivity, out byte levelMinusDbov)
    {
        voiceActivity = false;
        levelMinusDbov = 0;
        if (value.Length < Length)
            return false;
        voiceActivity = (value[0] & 0x80) != 0;
        levelMinusDbov = (byte)(value[0] & 0x7F);
        return true;
    }

    public static bool TryRead(in RtpPacketReader packet, int id, out bool voiceActivity, out byte levelMinusDbov)
    {
        voiceActivity = false;
        levelMinusDbov = 0;
        return packet.TryFindExtension(id, out ReadOnlySpan<byte> value) && TryRead(value, out voiceActivity, out levelMinusDbov);
    }

    public static bool TryWrite(Span<byte> value, bool voiceActivity, byte levelMinusDbov)
    {
        if (value.Length < Length || levelMinusDbov > 127)
            return false;
        value[0] = (byte)((voiceActivity ? 0x80 : 0) | levelMinusDbov);
        return true;
    }
}
