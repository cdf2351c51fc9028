using System.Buffers;
using System.Buffers.Binary;

namespace MediaPlane.Recording.Buffers;

/// <summary>
/// A byte buffer that grows from <see cref="ArrayPool{T}.Shared"/> and is reused: after the first few frames it
/// has reached its working size and appending allocates nothing. Owned by one thread (the recording's).
/// </summary>
public sealed class GrowableBuffer : IDisposable
{
    private byte[] _array;
    private int _length;

    public GrowableBuffer(int initialCapacity = 4096) => _array = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _array.AsSpan(0, _length);

    public Span<byte> WrittenMutable => _array.AsSpan(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Drops everything after <paramref name="length"/> (e.g. an element started but abandoned).</summary>
    public void Truncate(int length) => _length = Math.Min(_length, length);

    public Span<byte> GetSpan(int size)
    {
        EnsureCapacity(size);
        return _array.AsSpan(_length, size);
    }

    public void Advance(int count) => _length += count;

    public void Write(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        _length += data.Length;
    }

    public void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _array[_length++] = value;
    }

    public void WriteUInt16BigEndian(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(GetSpan(2), value);
        _length += 2;
    }

    public void WriteUInt32BigEndian(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(GetSpan(4), value);
        _length += 4;
    }

    public void WriteUInt64BigEndian(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(GetSpan(8), value);
        _length += 8;
    }

    public void PatchUInt32BigEndian(int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(_array.AsSpan(offset, 4), value);

    private void EnsureCapacity(int extra)
    {
        if (_length + extra <= _array.Length)
            return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _length + extra));
        _array.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }

    public void Dispose()
    {
        if (_array.Length == 0)
            return;
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        _length = 0;
    }
}
