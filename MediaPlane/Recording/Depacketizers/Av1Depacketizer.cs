using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Depacketizers;

/// <summary>
/// AV1 over RTP (AOM "RTP Payload Format For AV1" v1.0, §4.4 aggregation header):
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |Z|Y| W |N|-|-|-|
/// +-+-+-+-+-+-+-+-+
/// </code>
/// Z: the first OBU element continues an OBU from the previous packet; Y: the last one continues in the next;
/// W: number of OBU elements (0 = every element has a LEB128 length, 1-3 = all but the last have one);
/// N: first packet of a coded video sequence (a keyframe). A temporal unit (one frame here) ends at the marker.
/// The frame is written in the low-overhead bitstream format (AV1 spec §5.2) that Matroska and ISO BMFF
/// expect: every OBU with obu_has_size_field = 1; temporal delimiters dropped (AV1-ISOBMFF §2.4).
/// Sizes are written as 4-byte LEB128 (a padded form the spec allows, §4.10.5) so a fragmented OBU's size can
/// be filled in when its last piece arrives.
/// </summary>
public sealed class Av1Depacketizer() : RtpDepacketizer(isVideo: true)
{
    private const int ObuSequenceHeader = 1;
    private const int ObuTemporalDelimiter = 2;
    private const int ObuPadding = 15;

    private int _openObuSizeOffset = -1; // where the open (fragmented) OBU's 4-byte size sits, -1 if none
    private bool _openObuDropped;       // the open OBU is a temporal delimiter or padding: skip its pieces
    private byte[] _sequenceHeader = [];

    protected override bool HasExplicitFrameStart => false;

    /// <summary>The latest sequence header OBU in low-overhead form (for av1C's configOBUs).</summary>
    public ReadOnlySpan<byte> SequenceHeader => _sequenceHeader;

    protected override DepacketizeError Inspect(ReadOnlySpan<byte> payload, out PacketFacts facts)
    {
        facts = default;
        if (payload.Length < 2)
            return DepacketizeError.TooShort;
        byte header = payload[0];
        facts.DescriptorLength = 1;
        facts.StartsFrame = (header & 0x80) == 0; // Z = 0: does not continue an OBU
        facts.Keyframe = (header & 0x08) != 0;    // N
        facts.CertainStart = facts.Keyframe && facts.StartsFrame;
        return DepacketizeError.None;
    }

    protected override DepacketizeError Append(ReadOnlySpan<byte> payload, in PacketFacts facts)
    {
        byte header = payload[0];
        bool continues = (header & 0x80) != 0, continuesNext = (header & 0x40) != 0;
        int elementCount = (header >> 4) & 0x03;
        var elements = payload[1..];
        if (continues != (_openObuSizeOffset >= 0 || _openObuDropped))
            return DepacketizeError.OrphanFragment;
        for (int index = 0; !elements.IsEmpty; index++)
        {
            int length;
            bool last = elementCount != 0 && index == elementCount - 1;
            if (last)
                length = elements.Length;
            else
            {
                if (!TryReadLeb128(elements, out ulong value, out int lengthBytes) || value > (ulong)(elements.Length - lengthBytes))
                    return DepacketizeError.Truncated;
                elements = elements[lengthBytes..];
                length = (int)value;
            }
            if (elementCount != 0 && index >= elementCount)
                return DepacketizeError.Truncated;
            var element = elements[..length];
            elements = elements[length..];
            bool isFirst = index == 0, isLast = elements.IsEmpty;
            var error = (isFirst && continues) ? ContinueObu(element) : StartObu(element);
            if (error != DepacketizeError.None)
                return error;
            if (!(isLast && continuesNext))
                CloseObu();
        }
        return DepacketizeError.None;
    }

    /// <summary>OBU header (AV1 spec §5.3.1): forbidden bit, obu_type (4), extension flag, has_size_field, reserved.</summary>
    private DepacketizeError StartObu(ReadOnlySpan<byte> element)
    {
        if (element.IsEmpty)
            return DepacketizeError.TooShort;
        byte obuHeader = element[0];
        if ((obuHeader & 0x80) != 0)
            return DepacketizeError.Unsupported;
        int type = (obuHeader >> 3) & 0x0F;
        int headerLength = (obuHeader & 0x04) != 0 ? 2 : 1;
        if (element.Length < headerLength)
            return DepacketizeError.Truncated;
        var body = element[headerLength..];
        if ((obuHeader & 0x02) != 0) // the sender kept obu_size: skip it, ours replaces it
        {
            if (!TryReadLeb128(body, out _, out int sizeBytes))
                return DepacketizeError.Truncated;
            body = body[sizeBytes..];
        }
        if (type is ObuTemporalDelimiter or ObuPadding)
        {
            _openObuDropped = true;
            return DepacketizeError.None;
        }
        FrameBuffer.WriteByte((byte)(obuHeader | 0x02));
        if (headerLength == 2)
            FrameBuffer.WriteByte(element[1]);
        _openObuSizeOffset = FrameBuffer.Length;
        _openObuType = type;
        _openObuStart = FrameBuffer.Length - headerLength;
        FrameBuffer.WriteUInt32BigEndian(0);
        FrameBuffer.Write(body);
        return DepacketizeError.None;
    }

    private int _openObuType;
    private int _openObuStart;

    private DepacketizeError ContinueObu(ReadOnlySpan<byte> element)
    {
        if (!_openObuDropped)
            FrameBuffer.Write(element);
        return DepacketizeError.None;
    }

    private void CloseObu()
    {
        if (_openObuSizeOffset >= 0)
        {
            int size = FrameBuffer.Length - _openObuSizeOffset - 4;
            var sizeField = FrameBuffer.WrittenMutable.Slice(_openObuSizeOffset, 4);
            sizeField[0] = (byte)(0x80 | (size & 0x7F)); // §4.10.5 leb128, padded to 4 bytes
            sizeField[1] = (byte)(0x80 | ((size >> 7) & 0x7F));
            sizeField[2] = (byte)(0x80 | ((size >> 14) & 0x7F));
            sizeField[3] = (byte)((size >> 21) & 0x7F);
            if (_openObuType == ObuSequenceHeader)
            {
                var obu = FrameBuffer.Written[_openObuStart..];
                if (!obu.SequenceEqual(_sequenceHeader))
                    _sequenceHeader = obu.ToArray(); // once per stream in practice
            }
        }
        _openObuSizeOffset = -1;
        _openObuDropped = false;
    }

    protected override DepacketizeError Complete(ref bool keyframe)
    {
        if (_openObuSizeOffset >= 0 || _openObuDropped)
        {
            Abandon();
            return DepacketizeError.OrphanFragment;
        }
        keyframe = keyframe && _sequenceHeader.Length > 0;
        return FrameBuffer.Length == 0 ? DepacketizeError.TooShort : DepacketizeError.None;
    }

    protected override void BeginFrame() => Abandon();

    protected override void Abandon()
    {
        _openObuSizeOffset = -1;
        _openObuDropped = false;
    }

    /// <summary>AV1 spec §4.10.5 leb128(): up to 8 bytes, 7 bits each, least significant first.</summary>
    public static bool TryReadLeb128(ReadOnlySpan<byte> data, out ulong value, out int length)
    {
        value = 0;
        for (length = 0; length < 8 && length < data.Length; length++)
        {
            value |= (ulong)(data[length] & 0x7F) << (7 * length);
            if ((data[length] & 0x80) == 0)
            {
                length++;
                return value <= uint.MaxValue;
            }
        }
        return false;
    }

    /// <summary>
    /// av1C (AV1-ISOBMFF §2.3.3, also Matroska's CodecPrivate for V_AV1): marker/version 0x81, seq_profile and
    /// seq_level_idx_0, tier/bit depth/monochrome/chroma fields, no initial presentation delay, then the
    /// sequence header OBU as configOBUs. Profile, level and tier come from the sequence header (§5.5.1).
    /// </summary>
    public byte[] BuildConfiguration()
    {
        if (_sequenceHeader.Length == 0)
            return [];
        int headerLength = (_sequenceHeader[0] & 0x04) != 0 ? 2 : 1;
        var body = _sequenceHeader.AsSpan(headerLength + 4);
        var bits = new BitReader(body);
        uint profile = bits.Read(3);
        bits.Read(1); // still_picture
        bool reduced = bits.ReadFlag();
        uint level = 31, tier = 0;
        if (reduced)
            level = bits.Read(5);
        else if (!bits.ReadFlag()) // timing_info_present_flag: with timing info the walk is longer; keep level 31
        {
            bool initialDisplayDelay = bits.ReadFlag();
            bits.Read(5); // operating_points_cnt_minus_1: the first operating point is what av1C describes
            bits.Read(12);
            level = bits.Read(5);
            tier = level > 7 ? bits.Read(1) : 0;
            _ = initialDisplayDelay;
        }
        var record = new byte[4 + _sequenceHeader.Length];
        record[0] = 0x81;
        record[1] = (byte)((profile << 5) | (level & 0x1F));
        // tier, high_bitdepth=0, twelve_bit=0, monochrome=0, chroma_subsampling_x=1, _y=1 (4:2:0), position 0
        record[2] = (byte)((tier << 7) | (profile == 1 ? 0x00u : 0x0Cu));
        record[3] = 0;
        _sequenceHeader.CopyTo(record.AsSpan(4));
        return record;
    }
}
