using System.Buffers.Binary;
using System.Text;
using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.WebM;

/// <summary>
/// EBML primitives, RFC 8794. An element is its ID (§5, written with its length marker as-is), its data size
/// as a variable-size integer (§4: a leading 1 bit after n-1 zero bits gives the length n), then the data.
/// Master elements here get a fixed 4-byte size that is patched when they end.
/// </summary>
public static class EbmlWriter
{
    /// <summary>§6.2: an 8-byte size with all value bits set means "unknown size" (a live Segment or Cluster).</summary>
    public const ulong UnknownSize8 = 0x01FF_FFFF_FFFF_FFFF;

    public static void WriteId(GrowableBuffer buffer, uint id)
    {
        if (id > 0xFFFFFF)
            buffer.WriteByte((byte)(id >> 24));
        if (id > 0xFFFF)
            buffer.WriteByte((byte)(id >> 16));
        if (id > 0xFF)
            buffer.WriteByte((byte)(id >> 8));
        buffer.WriteByte((byte)id);
    }

    /// <summary>Writes an ID into <paramref name="destination"/>, returns its length.</summary>
    public static int WriteId(Span<byte> destination, uint id)
    {
        int length = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        for (int i = 0; i < length; i++)
            destination[i] = (byte)(id >> (8 * (length - 1 - i)));
        return length;
    }

    /// <summary>§4: the shortest variable-size integer for <paramref name="size"/> (never the all-ones reserved form).</summary>
    public static int WriteSize(Span<byte> destination, long size)
    {
        int length = 1;
        while (length < 8 && size >= (1L << (7 * length)) - 1)
            length++;
        ulong value = (ulong)size | (1UL << (7 * length));
        for (int i = 0; i < length; i++)
            destination[i] = (byte)(value >> (8 * (length - 1 - i)));
        return length;
    }

    public static void WriteSize(GrowableBuffer buffer, long size)
    {
        int length = WriteSize(buffer.GetSpan(8), size);
        buffer.Advance(length);
    }

    /// <summary>An 8-byte size field holding <paramref name="size"/> (used where a size is patched in place).</summary>
    public static void WriteSize8(Span<byte> destination, long size) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, 0x0100_0000_0000_0000UL | (ulong)size);

    public static void WriteUnsigned(GrowableBuffer buffer, uint id, ulong value)
    {
        int length = 1;
        while (length < 8 && value >> (8 * length) != 0)
            length++;
        WriteId(buffer, id);
        WriteSize(buffer, length);
        for (int i = length - 1; i >= 0; i--)
            buffer.WriteByte((byte)(value >> (8 * i)));
    }

    /// <summary>An unsigned integer in exactly 8 bytes, so it can be patched later; returns the value's offset.</summary>
    public static int WriteUnsigned8(GrowableBuffer buffer, uint id, ulong value)
    {
        WriteId(buffer, id);
        WriteSize(buffer, 8);
        int offset = buffer.Length;
        buffer.WriteUInt64BigEndian(value);
        return offset;
    }

    /// <summary>An 8-byte float (§7.3); returns the value's offset for patching.</summary>
    public static int WriteFloat(GrowableBuffer buffer, uint id, double value)
    {
        WriteId(buffer, id);
        WriteSize(buffer, 8);
        int offset = buffer.Length;
        BinaryPrimitives.WriteDoubleBigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
        return offset;
    }

    public static void WriteString(GrowableBuffer buffer, uint id, string value)
    {
        WriteId(buffer, id);
        int length = Encoding.UTF8.GetByteCount(value);
        WriteSize(buffer, length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    public static void WriteBinary(GrowableBuffer buffer, uint id, ReadOnlySpan<byte> value)
    {
        WriteId(buffer, id);
        WriteSize(buffer, value.Length);
        buffer.Write(value);
    }

    /// <summary>Starts a master element with a 4-byte size placeholder; pass the result to <see cref="EndMaster"/>.</summary>
    public static int StartMaster(GrowableBuffer buffer, uint id)
    {
        WriteId(buffer, id);
        int sizeOffset = buffer.Length;
        buffer.WriteUInt32BigEndian(0);
        return sizeOffset;
    }

    public static void EndMaster(GrowableBuffer buffer, int sizeOffset)
    {
        int size = buffer.Length - sizeOffset - 4;
        buffer.PatchUInt32BigEndian(sizeOffset, 0x1000_0000u | (uint)size); // 4-byte vint (§4)
    }

    /// <summary>§6.3 Void element filling exactly <paramref name="totalLength"/> bytes (at least 2).</summary>
    public static void WriteVoid(GrowableBuffer buffer, int totalLength)
    {
        buffer.WriteByte(MatroskaIds.Void);
        int sizeLength = totalLength - 1 > 127 ? 2 : 1;
        int dataLength = totalLength - 1 - sizeLength;
        if (sizeLength == 1)
            buffer.WriteByte((byte)(0x80 | dataLength));
        else
            buffer.WriteUInt16BigEndian((ushort)(0x4000 | dataLength));
        buffer.GetSpan(dataLength).Clear();
        buffer.Advance(dataLength);
    }
}
