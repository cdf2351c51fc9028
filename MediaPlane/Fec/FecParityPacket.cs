using System.Buffers.Binary;

namespace MediaPlane.Fec;

public enum FecParseError
{
    None,
    TooShort,
    BadCount,
    ReservedBitsSet,
}

/// <summary>
/// Payload of a relay v2 FEC packet (type 6, docs/relay-protocol.md): XOR parity over a run of <c>count</c>
/// consecutive per-link sequence numbers starting at <c>first</c>. The lengths are protected too: a recovered
/// packet gets its exact length back.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        first protected per-link sequence number (64)          |  0
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   count (k)   | reserved (0)  |   XOR of the k lengths (16)   |  8
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :   XOR of the k packets, each zero-padded to the longest       :  12
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly ref struct FecParityPacket
{
    public const int HeaderLength = 12;
    public const int MinCount = 2, MaxCount = 48;

    public ulong First { get; }
    public int Count { get; }
    public ushort LengthXor { get; }
    public ReadOnlySpan<byte> Parity { get; }

    private FecParityPacket(ulong first, int count, ushort lengthXor, ReadOnlySpan<byte> parity)
    {
        First = first;
        Count = count;
        LengthXor = lengthXor;
        Parity = parity;
    }

    public bool Protects(ulong sequence) => sequence - First < (ulong)Count;

    /// <summary>Structure only; never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out FecParityPacket packet, out FecParseError error)
    {
        packet = default;
        if (payload.Length < HeaderLength)
        {
            error = FecParseError.TooShort;
            return false;
        }
        int count = payload[8];
        if (count is < MinCount or > MaxCount)
        {
            error = FecParseError.BadCount;
            return false;
        }
        if (payload[9] != 0)
        {
            error = FecParseError.ReservedBitsSet;
            return false;
        }
        packet = new FecParityPacket(BinaryPrimitives.ReadUInt64BigEndian(payload), count,
            BinaryPrimitives.ReadUInt16BigEndian(payload[10..]), payload[HeaderLength..]);
        error = FecParseError.None;
        return true;
    }

    /// <summary>Writes the header in front of parity already in <paramref name="destination"/>[12..].</summary>
    public static void WriteHeader(Span<byte> destination, ulong first, int count, ushort lengthXor)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, first);
        destination[8] = (byte)count;
        destination[9] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], lengthXor);
    }
}
