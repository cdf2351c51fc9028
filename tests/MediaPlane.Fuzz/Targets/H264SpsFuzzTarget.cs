using MediaPlane.Recording.Depacketizers;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// An H.264 sequence parameter set (from a publisher's RTP) into the size reader used for MP4 sample entries.
/// Invariants: nothing throws; a size read is positive and within the 1,024-macroblock bound the reader enforces.
/// </summary>
public sealed class H264SpsFuzzTarget : IFuzzTarget
{
    public string Name => "h264-sps";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (H264SpsReader.TryReadSize(input, out int width, out int height))
            FuzzCheck.That(width is > 0 and <= 16384 && height is > 0 and <= 32768, "a read size is positive and bounded");
        else
            FuzzCheck.That(width == 0 && height == 0, "a refused set reports no size");
    }
}
