using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Mp4;

/// <summary>
/// ISO BMFF boxes (ISO/IEC 14496-12 §4.2): a 32-bit size, a four-character type, and for a FullBox an 8-bit
/// version and 24-bit flags. A box's size is patched when it ends.
/// </summary>
public static class BoxWriter
{
    public static int Start(GrowableBuffer buffer, ReadOnlySpan<byte> type)
    {
        int start = buffer.Length;
        buffer.WriteUInt32BigEndian(0);
        buffer.Write(type);
        return start;
    }

    public static int StartFull(GrowableBuffer buffer, ReadOnlySpan<byte> type, byte version, uint flags)
    {
        int start = Start(buffer, type);
        buffer.WriteUInt32BigEndian(((uint)version << 24) | (flags & 0xFFFFFF));
        return start;
    }

    public static void End(GrowableBuffer buffer, int start) => buffer.PatchUInt32BigEndian(start, (uint)(buffer.Length - start));

    public static void Zeros(GrowableBuffer buffer, int count)
    {
        buffer.GetSpan(count).Clear();
        buffer.Advance(count);
    }

    /// <summary>The identity transformation matrix of mvhd/tkhd (§8.2.2, §8.3.2), 16.16 and 2.30 fixed point.</summary>
    public static void UnityMatrix(GrowableBuffer buffer)
    {
        ReadOnlySpan<uint> matrix = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];
        foreach (uint value in matrix)
            buffer.WriteUInt32BigEndian(value);
    }
}
