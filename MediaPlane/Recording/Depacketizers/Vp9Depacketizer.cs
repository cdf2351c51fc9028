using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Depacketizers;

/// <summary>
/// VP9 over RTP, RFC 9628. Payload descriptor (§4.2), flexible (F=1) and non-flexible (F=0) mode:
/// <code>
///         0 1 2 3 4 5 6 7
///        +-+-+-+-+-+-+-+-+
///        |I|P|L|F|B|E|V|Z| (REQUIRED)
///        +-+-+-+-+-+-+-+-+
///   I:   |M| PICTURE ID  | (RECOMMENDED)
///   M:   | EXTENDED PID  | (RECOMMENDED)
///   L:   | TID |U| SID |D| (CONDITIONALLY RECOMMENDED)
///        |   TL0PICIDX   | (CONDITIONALLY REQUIRED: L and F=0)
///        | P_DIFF      |N| (CONDITIONALLY REQUIRED: P and F, up to 3 times while N)
///   V:   | SS            | (OPTIONAL, §4.2.1)
/// </code>
/// A picture starts at B=1 in its lowest spatial layer (SID 0) and ends at the marker bit; all spatial layers
/// of one timestamp form one frame (a superframe). P=0 at that start means no inter-picture prediction: a
/// keyframe.
/// </summary>
public sealed class Vp9Depacketizer() : RtpDepacketizer(isVideo: true)
{
    protected override bool HasExplicitFrameStart => true;

    protected override DepacketizeError Inspect(ReadOnlySpan<byte> payload, out PacketFacts facts)
    {
        facts = default;
        if (!TryReadDescriptor(payload, out int length, out bool begin, out bool predicted, out int spatialLayer))
            return DepacketizeError.Truncated;
        if (length >= payload.Length)
            return DepacketizeError.TooShort;
        facts.DescriptorLength = length;
        facts.StartsFrame = begin && spatialLayer == 0;
        facts.Keyframe = facts.StartsFrame && !predicted;
        return DepacketizeError.None;
    }

    protected override DepacketizeError Append(ReadOnlySpan<byte> payload, in PacketFacts facts)
    {
        FrameBuffer.Write(payload[facts.DescriptorLength..]);
        return DepacketizeError.None;
    }

    /// <summary>
    /// Senders do not all set P (ffmpeg's packetizer never does), so a keyframe is confirmed from the frame's own
    /// uncompressed header (VP9 bitstream §6.2): frame_type 0 and not show_existing_frame.
    /// </summary>
    protected override DepacketizeError Complete(ref bool keyframe)
    {
        keyframe = keyframe && IsKeyframeHeader(Frame);
        return DepacketizeError.None;
    }

    public static bool IsKeyframeHeader(ReadOnlySpan<byte> frame)
    {
        var bits = new BitReader(frame);
        if (bits.Read(2) != 2)
            return false;
        uint profile = bits.Read(1) | (bits.Read(1) << 1);
        if (profile == 3)
            bits.Read(1);
        bool showExisting = bits.ReadFlag();
        bool interFrame = bits.ReadFlag();
        return !bits.Overrun && !showExisting && !interFrame;
    }

    /// <summary>Walks the §4.2 descriptor including a §4.2.1 scalability structure; false if it runs past the end.</summary>
    public static bool TryReadDescriptor(ReadOnlySpan<byte> payload, out int length, out bool begin, out bool predicted, out int spatialLayer)
    {
        length = 0;
        begin = predicted = false;
        spatialLayer = 0;
        if (payload.IsEmpty)
            return false;
        byte first = payload[0];
        bool hasPictureId = (first & 0x80) != 0, hasLayers = (first & 0x20) != 0, flexible = (first & 0x10) != 0;
        bool hasScalability = (first & 0x02) != 0;
        predicted = (first & 0x40) != 0;
        begin = (first & 0x08) != 0;
        int offset = 1;
        if (hasPictureId)
        {
            if (offset >= payload.Length)
                return false;
            offset += (payload[offset] & 0x80) != 0 ? 2 : 1; // M: 15-bit picture ID
        }
        if (hasLayers)
        {
            if (offset >= payload.Length)
                return false;
            spatialLayer = (payload[offset] >> 1) & 0x07;
            offset += flexible ? 1 : 2; // TL0PICIDX only in non-flexible mode
        }
        if (flexible && predicted)
        {
            for (int i = 0; ; i++) // up to 3 reference indices, each with N = "another follows"
            {
                if (offset >= payload.Length || i == 3)
                    return false;
                bool more = (payload[offset++] & 0x01) != 0;
                if (!more)
                    break;
            }
        }
        if (hasScalability && !TrySkipScalabilityStructure(payload, ref offset))
            return false;
        if (offset > payload.Length)
            return false;
        length = offset;
        return true;
    }

    /// <summary>§4.2.1: |N_S|Y|G|-|-|-|, then (N_S+1) width/height pairs if Y, then N_G picture descriptions if G.</summary>
    private static bool TrySkipScalabilityStructure(ReadOnlySpan<byte> payload, ref int offset)
    {
        if (offset >= payload.Length)
            return false;
        byte header = payload[offset++];
        int spatialLayers = (header >> 5) + 1;
        if ((header & 0x10) != 0)
            offset += 4 * spatialLayers;
        if ((header & 0x08) != 0)
        {
            if (offset >= payload.Length)
                return false;
            int pictures = payload[offset++];
            for (int i = 0; i < pictures; i++)
            {
                if (offset >= payload.Length)
                    return false;
                int references = (payload[offset++] >> 2) & 0x03;
                offset += references;
            }
        }
        return offset <= payload.Length;
    }

    /// <summary>
    /// Frame size from a keyframe's uncompressed header (VP9 bitstream spec §6.2): frame_marker, profile,
    /// show_existing_frame, frame_type, show_frame, error_resilient_mode, sync code 0x498342, color_config,
    /// then frame_width_minus_1 and frame_height_minus_1 (16 bits each).
    /// </summary>
    public static bool TryReadKeyframeSize(ReadOnlySpan<byte> frame, out int width, out int height)
    {
        width = height = 0;
        var bits = new BitReader(frame);
        if (bits.Read(2) != 2)
            return false;
        int profile = (int)bits.Read(1);
        profile |= (int)bits.Read(1) << 1;
        if (profile == 3)
            bits.Read(1);
        if (bits.ReadFlag() || bits.ReadFlag()) // show_existing_frame, frame_type (1 = not a keyframe)
            return false;
        bits.Read(2); // show_frame, error_resilient_mode
        if (bits.Read(24) != 0x498342)
            return false;
        if (profile >= 2)
            bits.Read(1); // ten_or_twelve_bit
        uint colorSpace = bits.Read(3);
        if (colorSpace != 7) // not CS_RGB
        {
            bits.Read(1); // color_range
            if (profile is 1 or 3)
                bits.Read(3); // subsampling_x, subsampling_y, reserved_zero
        }
        else if (profile is 1 or 3)
            bits.Read(1);
        width = (int)bits.Read(16) + 1;
        height = (int)bits.Read(16) + 1;
        return !bits.Overrun;
    }
}
