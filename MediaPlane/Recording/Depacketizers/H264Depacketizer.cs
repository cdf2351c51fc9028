using System.Buffers.Binary;

namespace MediaPlane.Recording.Depacketizers;

/// <summary>
/// H.264 over RTP, RFC 6184, packetization mode 1 (what WebRTC uses): single NAL unit packets (§5.6, types
/// 1-23), STAP-A aggregates (§5.7.1, type 24) and FU-A fragments (§5.8, type 28). Every NAL unit header is
/// (§1.3):
/// <code>
///   +---------------+
///   |0|1|2|3|4|5|6|7|
///   +-+-+-+-+-+-+-+-+
///   |F|NRI|  Type   |
///   +---------------+
/// </code>
/// The frame is written as an AVCC sample (ISO/IEC 14496-15 §5.3.2): each NAL unit prefixed by its 4-byte
/// big-endian length. SPS (type 7) and PPS (type 8) are kept aside for the sample entry (avcC) and left out of
/// the samples; a frame with an IDR slice (type 5) is a keyframe once both parameter sets are known.
/// </summary>
public sealed class H264Depacketizer() : RtpDepacketizer(isVideo: true)
{
    private const int StapA = 24;
    private const int FuA = 28;
    private const int NalTypeIdr = 5;
    private const int NalTypeSps = 7;
    private const int NalTypePps = 8;
    private const int NalTypeAccessUnitDelimiter = 9;

    private byte[] _sps = [];
    private byte[] _pps = [];
    private int _openFragmentOffset = -1; // where the open FU-A NAL's length prefix sits in the frame
    private bool _frameHasIdr;

    protected override bool HasExplicitFrameStart => false;

    /// <summary>The latest sequence parameter set (NAL unit with its header), empty until one arrives.</summary>
    public ReadOnlySpan<byte> Sps => _sps;

    /// <summary>The latest picture parameter set (NAL unit with its header), empty until one arrives.</summary>
    public ReadOnlySpan<byte> Pps => _pps;

    /// <summary>Bumped whenever SPS or PPS change, so a writer knows its sample entry is stale.</summary>
    public int ParameterSetVersion { get; private set; }

    protected override DepacketizeError Inspect(ReadOnlySpan<byte> payload, out PacketFacts facts)
    {
        facts = default;
        if (payload.IsEmpty)
            return DepacketizeError.TooShort;
        int type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                facts.StartsFrame = true;
                facts.CertainStart = type is NalTypeSps or NalTypeAccessUnitDelimiter;
                return DepacketizeError.None;
            case StapA:
                facts.StartsFrame = true;
                facts.CertainStart = payload.Length > 3 && (payload[3] & 0x1F) is NalTypeSps or NalTypeAccessUnitDelimiter;
                return DepacketizeError.None;
            case FuA:
                if (payload.Length < 3)
                    return DepacketizeError.TooShort;
                facts.StartsFrame = (payload[1] & 0x80) != 0; // §5.8: S bit of the FU header
                return DepacketizeError.None;
            default:
                return DepacketizeError.Unsupported; // STAP-B, MTAP and FU-B need interleaved mode (§5.4)
        }
    }

    protected override DepacketizeError Append(ReadOnlySpan<byte> payload, in PacketFacts facts)
    {
        int type = payload[0] & 0x1F;
        if (type == StapA)
            return AppendAggregate(payload[1..]);
        if (type == FuA)
            return AppendFragment(payload);
        if (_openFragmentOffset >= 0)
            return DepacketizeError.OrphanFragment; // a new NAL while a fragmented one is unfinished
        AppendNal(payload);
        return DepacketizeError.None;
    }

    /// <summary>§5.7.1: a sequence of (16-bit NAL size, NAL unit).</summary>
    private DepacketizeError AppendAggregate(ReadOnlySpan<byte> units)
    {
        if (_openFragmentOffset >= 0)
            return DepacketizeError.OrphanFragment;
        if (units.IsEmpty)
            return DepacketizeError.TooShort;
        while (!units.IsEmpty)
        {
            if (units.Length < 2)
                return DepacketizeError.Truncated;
            int size = BinaryPrimitives.ReadUInt16BigEndian(units);
            if (size == 0 || size > units.Length - 2)
                return DepacketizeError.Truncated;
            AppendNal(units.Slice(2, size));
            units = units[(2 + size)..];
        }
        return DepacketizeError.None;
    }

    /// <summary>
    /// §5.8: FU indicator (F, NRI, type 28), FU header |S|E|R|Type|, then a piece of the NAL unit's payload.
    /// The NAL unit header is rebuilt from the indicator's F/NRI and the FU header's type.
    /// </summary>
    private DepacketizeError AppendFragment(ReadOnlySpan<byte> payload)
    {
        byte fuHeader = payload[1];
        bool start = (fuHeader & 0x80) != 0, end = (fuHeader & 0x40) != 0;
        if (start)
        {
            if (_openFragmentOffset >= 0)
                return DepacketizeError.OrphanFragment;
            _openFragmentOffset = FrameBuffer.Length;
            FrameBuffer.WriteUInt32BigEndian(0);
            FrameBuffer.WriteByte((byte)((payload[0] & 0xE0) | (fuHeader & 0x1F)));
            if ((fuHeader & 0x1F) == NalTypeIdr)
                _frameHasIdr = true;
        }
        else if (_openFragmentOffset < 0)
            return DepacketizeError.OrphanFragment;
        FrameBuffer.Write(payload[2..]);
        if (end)
        {
            FrameBuffer.PatchUInt32BigEndian(_openFragmentOffset, (uint)(FrameBuffer.Length - _openFragmentOffset - 4));
            _openFragmentOffset = -1;
        }
        return DepacketizeError.None;
    }

    private void AppendNal(ReadOnlySpan<byte> nal)
    {
        switch (nal[0] & 0x1F)
        {
            case NalTypeSps:
                Remember(ref _sps, nal);
                return;
            case NalTypePps:
                Remember(ref _pps, nal);
                return;
            case NalTypeIdr:
                _frameHasIdr = true;
                break;
        }
        FrameBuffer.WriteUInt32BigEndian((uint)nal.Length);
        FrameBuffer.Write(nal);
    }

    private void Remember(ref byte[] parameterSet, ReadOnlySpan<byte> nal)
    {
        if (nal.SequenceEqual(parameterSet))
            return;
        parameterSet = nal.ToArray(); // only when it changes: once per stream in practice
        ParameterSetVersion++;
    }

    protected override DepacketizeError Complete(ref bool keyframe)
    {
        if (_openFragmentOffset >= 0)
        {
            _openFragmentOffset = -1;
            return DepacketizeError.OrphanFragment; // the marker came before the FU-A's end bit
        }
        if (FrameBuffer.Length == 0)
            return DepacketizeError.TooShort; // only parameter sets: nothing to write as a sample
        keyframe = _frameHasIdr && _sps.Length > 0 && _pps.Length > 0;
        return DepacketizeError.None;
    }

    protected override void BeginFrame()
    {
        _frameHasIdr = false;
        _openFragmentOffset = -1;
    }

    protected override void Abandon() => _openFragmentOffset = -1;
}
