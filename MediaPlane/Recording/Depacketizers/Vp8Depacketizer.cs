using System.Buffers.Binary;

namespace MediaPlane.Recording.Depacketizers;

/// <summary>
/// VP8 over RTP, RFC 7741. Payload descriptor (§4.2):
/// <code>
///        0 1 2 3 4 5 6 7
///       +-+-+-+-+-+-+-+-+
///       |X|R|N|S|R| PID | (REQUIRED)
///       +-+-+-+-+-+-+-+-+
///  X:   |I|L|T|K| RSV   | (OPTIONAL)
///       +-+-+-+-+-+-+-+-+
///  I:   |M| PictureID   | (OPTIONAL, second byte if M)
///       +-+-+-+-+-+-+-+-+
///  L:   |   TL0PICIDX   | (OPTIONAL)
///       +-+-+-+-+-+-+-+-+
///  T/K: |TID|Y| KEYIDX  | (OPTIONAL)
///       +-+-+-+-+-+-+-+-+
/// </code>
/// A frame starts at S=1 with PID=0; its first byte after the descriptor is the VP8 payload header (§4.3) whose
/// P bit (bit 0) is 0 for a keyframe. The frame is the concatenation of the packets' data (RFC 6386 bitstream).
/// </summary>
public sealed class Vp8Depacketizer() : RtpDepacketizer(isVideo: true)
{
    protected override bool HasExplicitFrameStart => true;

    protected override DepacketizeError Inspect(ReadOnlySpan<byte> payload, out PacketFacts facts)
    {
        facts = default;
        if (!TryReadDescriptor(payload, out int length, out bool start, out int partition))
            return DepacketizeError.Truncated;
        if (length >= payload.Length)
            return DepacketizeError.TooShort; // a descriptor with no VP8 data
        facts.DescriptorLength = length;
        facts.StartsFrame = start && partition == 0;
        facts.Keyframe = facts.StartsFrame && (payload[length] & 0x01) == 0; // §4.3: P = 0 on key frames
        return DepacketizeError.None;
    }

    protected override DepacketizeError Append(ReadOnlySpan<byte> payload, in PacketFacts facts)
    {
        FrameBuffer.Write(payload[facts.DescriptorLength..]);
        return DepacketizeError.None;
    }

    /// <summary>Length of the §4.2 payload descriptor, with its S bit and partition index.</summary>
    public static bool TryReadDescriptor(ReadOnlySpan<byte> payload, out int length, out bool start, out int partition)
    {
        length = 0;
        start = false;
        partition = 0;
        if (payload.IsEmpty)
            return false;
        byte first = payload[0];
        start = (first & 0x10) != 0;
        partition = first & 0x07;
        int offset = 1;
        if ((first & 0x80) != 0)
        {
            if (payload.Length < 2)
                return false;
            byte extension = payload[1];
            offset = 2;
            if ((extension & 0x80) != 0) // I: PictureID, 7 or 15 bits (M)
            {
                if (payload.Length <= offset)
                    return false;
                offset += (payload[offset] & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) // L: TL0PICIDX
                offset++;
            if ((extension & 0x30) != 0) // T or K: TID/Y/KEYIDX byte
                offset++;
        }
        if (offset > payload.Length)
            return false;
        length = offset;
        return true;
    }

    /// <summary>
    /// Frame size from a keyframe (RFC 6386 §9.1): 3-byte frame tag, start code 9d 01 2a, then 14-bit width and
    /// height (little endian, the top 2 bits are the scale).
    /// </summary>
    public static bool TryReadKeyframeSize(ReadOnlySpan<byte> frame, out int width, out int height)
    {
        width = height = 0;
        if (frame.Length < 10 || (frame[0] & 0x01) != 0 || frame[3] != 0x9d || frame[4] != 0x01 || frame[5] != 0x2a)
            return false;
        width = BinaryPrimitives.ReadUInt16LittleEndian(frame[6..]) & 0x3FFF;
        height = BinaryPrimitives.ReadUInt16LittleEndian(frame[8..]) & 0x3FFF;
        return width > 0 && height > 0;
    }
}
