using System.Buffers.Binary;
using MediaPlane.Recording.Depacketizers;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// RTP payloads of one codec into its depacketizer. Input: records of |flags|length (16 bits)|payload|, where
/// flags bit 0 is the marker and bits 1-2 a sequence-number step of 0-3 (0 repeats, 2-3 lose packets).
/// Invariants: nothing throws; a frame is only ready on a marker (or for audio, any packet) and is not empty;
/// H.264 frames are well-formed AVCC (4-byte lengths that add up); AV1 frames are OBUs whose sizes add up.
/// </summary>
public abstract class DepacketizerFuzzTarget : IFuzzTarget
{
    public abstract string Name { get; }

    protected abstract RtpDepacketizer Create();

    public void Run(ReadOnlySpan<byte> input)
    {
        using var depacketizer = Create();
        ushort sequence = 1000;
        uint timestamp = 90000;
        while (input.Length >= 3)
        {
            byte flags = input[0];
            int length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input[1..]), input.Length - 3);
            var payload = input.Slice(3, length);
            input = input[(3 + length)..];
            bool marker = (flags & 1) != 0;
            sequence += (ushort)((flags >> 1) & 3);
            var result = depacketizer.Push(payload, sequence, timestamp, marker);
            FuzzCheck.That(result != DepacketizeResult.Invalid || depacketizer.LastError != DepacketizeError.None, "invalid carries a reason");
            if (result == DepacketizeResult.FrameReady)
            {
                FuzzCheck.That(!depacketizer.Frame.IsEmpty, "a ready frame has bytes");
                FuzzCheck.That(!depacketizer.NeedsKeyframe, "a written frame satisfies the keyframe wait");
                CheckFrame(depacketizer.Frame);
            }
            if (marker || (flags & 0x80) != 0)
                timestamp += 3000;
        }
    }

    protected virtual void CheckFrame(ReadOnlySpan<byte> frame)
    {
    }
}

public sealed class Vp8DepacketizerFuzzTarget : DepacketizerFuzzTarget
{
    public override string Name => "depacketize-vp8";

    protected override RtpDepacketizer Create() => new Vp8Depacketizer();
}

public sealed class Vp9DepacketizerFuzzTarget : DepacketizerFuzzTarget
{
    public override string Name => "depacketize-vp9";

    protected override RtpDepacketizer Create() => new Vp9Depacketizer();
}

public sealed class OpusDepacketizerFuzzTarget : DepacketizerFuzzTarget
{
    public override string Name => "depacketize-opus";

    protected override RtpDepacketizer Create() => new OpusDepacketizer();
}

public sealed class H264DepacketizerFuzzTarget : DepacketizerFuzzTarget
{
    public override string Name => "depacketize-h264";

    protected override RtpDepacketizer Create() => new H264Depacketizer();

    protected override void CheckFrame(ReadOnlySpan<byte> frame)
    {
        while (!frame.IsEmpty)
        {
            FuzzCheck.That(frame.Length >= 5, "AVCC: length prefix and a NAL header");
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(frame);
            FuzzCheck.That(length >= 1 && length <= frame.Length - 4, "AVCC: NAL inside the frame");
            frame = frame[(4 + length)..];
        }
    }
}

public sealed class Av1DepacketizerFuzzTarget : DepacketizerFuzzTarget
{
    public override string Name => "depacketize-av1";

    protected override RtpDepacketizer Create() => new Av1Depacketizer();

    protected override void CheckFrame(ReadOnlySpan<byte> frame)
    {
        while (!frame.IsEmpty)
        {
            int header = (frame[0] & 0x04) != 0 ? 2 : 1;
            FuzzCheck.That((frame[0] & 0x02) != 0 && frame.Length >= header, "OBU with obu_has_size_field");
            FuzzCheck.That(Av1Depacketizer.TryReadLeb128(frame[header..], out ulong size, out int sizeLength), "OBU size readable");
            FuzzCheck.That(size <= (ulong)(frame.Length - header - sizeLength), "OBU inside the frame");
            frame = frame[(header + sizeLength + (int)size)..];
        }
    }
}
