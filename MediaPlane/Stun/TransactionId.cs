using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaPlane.Stun;

/// <summary>The 96-bit STUN transaction id (RFC 8489 §5), held by value.</summary>
public readonly struct TransactionId : IEquatable<TransactionId>
{
    public const int Length = 12;

    private readonly ulong _high;
    private readonly uint _low;

    private TransactionId(ulong high, uint low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>Reads 12 bytes; the span must hold at least 12.</summary>
    public static TransactionId Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Length)
            ThrowTooShort();
        return new TransactionId(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
    }

    /// <summary>A fresh id from the cryptographic generator (RFC 8489 §6: uniformly random).</summary>
    public static TransactionId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
            ThrowTooShort();
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _low);
    }

    public bool Equals(TransactionId other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is TransactionId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public static bool operator ==(TransactionId left, TransactionId right) => left.Equals(right);

    public static bool operator !=(TransactionId left, TransactionId right) => !left.Equals(right);

    public override string ToString() => $"{_high:x16}{_low:x8}";

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTooShort() => throw new ArgumentException("A transaction id is 12 bytes.");
}
