using MediaPlane.Routing;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// The simulcast keyframe detectors on any payload, as each codec: never throw, and a VP8 keyframe start is always
/// a partition-0 start (S=1, PID=0, RFC 7741 §4.2), a VP9 one a frame start (B=1).
/// </summary>
public sealed class KeyframeFuzzTarget : IFuzzTarget
{
    public string Name => "keyframe";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (KeyframeDetector.IsKeyframeStart(KeyframeCodec.Vp8, input))
            FuzzCheck.That((input[0] & 0x17) == 0x10, "a VP8 keyframe starts partition 0");
        if (KeyframeDetector.IsKeyframeStart(KeyframeCodec.Vp9, input))
            FuzzCheck.That((input[0] & 0x08) != 0, "a VP9 keyframe starts a frame");
        KeyframeDetector.IsKeyframeStart(KeyframeCodec.H264, input);
        FuzzCheck.That(!KeyframeDetector.IsKeyframeStart(KeyframeCodec.Unknown, input), "an unknown codec has no keyframes");
    }
}
