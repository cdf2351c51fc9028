namespace MediaPlane.Routing;

/// <summary>The codecs whose keyframes a simulcast consumer can find in a packet (where it may switch layers).</summary>
public enum KeyframeCodec
{
    Unknown,
    Vp8,
    Vp9,
    H264,
}

/// <summary>
/// Finds, in one RTP payload, the start of a keyframe: the only place a consumer may start forwarding a
/// simulcast layer, since the subscriber's decoder has no earlier frame of that layer. Reads only; never
/// throws on short or malformed payloads (false). Allocates nothing.
/// </summary>
public static class KeyframeDetector
{
    public static KeyframeCodec CodecOf(string codec) =>
        codec.StartsWith("VP8", StringComparison.OrdinalIgnoreCase) ? KeyframeCodec.Vp8
        : codec.StartsWith("VP9", StringComparison.OrdinalIgnoreCase) ? KeyframeCodec.Vp9
        : codec.StartsWith("H264", StringComparison.OrdinalIgnoreCase) ? KeyframeCodec.H264
        : KeyframeCodec.Unknown;

    public static bool IsKeyframeStart(KeyframeCodec codec, ReadOnlySpan<byte> payload) => codec switch
    {
        KeyframeCodec.Vp8 => IsVp8KeyframeStart(payload),
        KeyframeCodec.Vp9 => IsVp9KeyframeStart(payload),
        KeyframeCodec.H264 => IsH264KeyframeStart(payload),
        _ => false,
    };

    /// <summary>
    /// RFC 9628 §4.2, the first byte of the VP9 payload descriptor: |I|P|L|F|B|E|V|Z|. B starts a frame; P = 0
    /// says the frame uses no earlier picture (of its layer) as reference: a keyframe, where a decoder may start.
    /// </summary>
    public static bool IsVp9KeyframeStart(ReadOnlySpan<byte> payload) =>
        payload.Length >= 1 && (payload[0] & 0x08) != 0 && (payload[0] & 0x40) == 0;

    /// <summary>
    /// RFC 7741 §4.2, the VP8 payload descriptor:
    /// <code>
    ///   0 1 2 3 4 5 6 7
    ///  +-+-+-+-+-+-+-+-+
    ///  |X|R|N|S|R| PID | (REQUIRED)
    ///  +-+-+-+-+-+-+-+-+
    ///  |I|L|T|K| RSV   | (OPTIONAL, when X)
    ///  +-+-+-+-+-+-+-+-+
    ///  |M| PictureID   | (OPTIONAL, when I; M: a second byte follows)
    ///  +-+-+-+-+-+-+-+-+
    ///  |   TL0PICIDX   | (OPTIONAL, when L)
    ///  +-+-+-+-+-+-+-+-+
    ///  |TID|Y| KEYIDX  | (OPTIONAL, when T or K)
    ///  +-+-+-+-+-+-+-+-+
    /// </code>
    /// A frame starts where S = 1 and PID = 0; §4.3: the first byte of the VP8 payload header then holds
    /// P (bit 0), the inverse keyframe flag: 0 for a keyframe.
    /// </summary>
    public static bool IsVp8KeyframeStart(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1)
            return false;
        byte first = payload[0];
        bool extended = (first & 0x80) != 0, start = (first & 0x10) != 0;
        int partition = first & 0x07;
        if (!start || partition != 0)
            return false;
        int offset = 1;
        if (extended)
        {
            if (payload.Length < 2)
                return false;
            byte flags = payload[1];
            offset = 2;
            if ((flags & 0x80) != 0) // I: picture id, 7 or 15 bits
            {
                if (payload.Length <= offset)
                    return false;
                offset += (payload[offset] & 0x80) != 0 ? 2 : 1;
            }
            if ((flags & 0x40) != 0) // L: TL0PICIDX
                offset++;
            if ((flags & 0x30) != 0) // T or K: TID/Y/KEYIDX
                offset++;
        }
        return payload.Length > offset && (payload[offset] & 0x01) == 0;
    }

    private const int NalIdr = 5, NalSps = 7, NalStapA = 24, NalFuA = 28;

    /// <summary>
    /// RFC 6184 §5.2-§5.8: a single NAL unit (type 1-23), a STAP-A (24) aggregating NAL units each behind a
    /// 16-bit size, or an FU-A (28) fragment whose FU header (S bit) says whether it starts the NAL unit. A
    /// keyframe begins with an IDR slice (type 5) or, as browsers send it, with the SPS (type 7) before it:
    /// switching there keeps the parameter sets the IDR needs.
    /// </summary>
    public static bool IsH264KeyframeStart(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1)
            return false;
        int type = payload[0] & 0x1F;
        switch (type)
        {
            case NalStapA:
                for (int offset = 1; offset + 2 < payload.Length;)
                {
                    int size = payload[offset] << 8 | payload[offset + 1];
                    if (size == 0 || offset + 2 + size > payload.Length)
                        return false;
                    if (IsKeyframeNal(payload[offset + 2] & 0x1F))
                        return true;
                    offset += 2 + size;
                }
                return false;
            case NalFuA:
                // FU header: S E R Type; only the fragment that starts the NAL unit (S) begins the frame.
                return payload.Length >= 2 && (payload[1] & 0x80) != 0 && IsKeyframeNal(payload[1] & 0x1F);
            default:
                return IsKeyframeNal(type);
        }
    }

    private static bool IsKeyframeNal(int type) => type is NalIdr or NalSps;
}
