using System.Buffers.Binary;

namespace MediaPlane.Dtls;

/// <summary>
/// Reader for one DTLS record header (RFC 6347 §4.1). Lets the demultiplexer reject junk cheaply
/// before a datagram reaches the handshake code.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ContentType  |    ProtocolVersion (major, minor) |  epoch ... |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ... epoch    |         sequence_number (48 bits) ...          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        ... sequence_number        |            length           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 fragment (length bytes) ...                     |
/// </code>
/// struct { ContentType type; ProtocolVersion version; uint16 epoch; uint48 sequence_number;
///          uint16 length; opaque fragment[length]; } DTLSPlaintext;
/// Several records may share one datagram (RFC 6347 §4.1.1).
/// </summary>
public readonly ref struct DtlsRecordHeader
{
    public const int Length = 13;

    /// <summary>2^14 + 2048: the largest DTLSCiphertext fragment (RFC 5246 §6.2.3).</summary>
    public const int MaxFragmentLength = (1 << 14) + 2048;

    private const int VersionOffset = 1;
    private const int EpochOffset = 3;
    private const int SequenceOffset = 5;
    private const int LengthOffset = 11;
    private const byte DtlsMajorVersion = 0xFE;
    private const byte Dtls10Minor = 0xFF;
    private const byte Dtls12Minor = 0xFD;

    private DtlsRecordHeader(ReadOnlySpan<byte> record)
    {
        ContentType = (DtlsContentType)record[0];
        Version = BinaryPrimitives.ReadUInt16BigEndian(record[VersionOffset..]);
        Epoch = BinaryPrimitives.ReadUInt16BigEndian(record[EpochOffset..]);
        SequenceNumber = ((long)BinaryPrimitives.ReadUInt16BigEndian(record[SequenceOffset..]) << 32)
            | BinaryPrimitives.ReadUInt32BigEndian(record[(SequenceOffset + 2)..]);
        FragmentLength = BinaryPrimitives.ReadUInt16BigEndian(record[LengthOffset..]);
        Fragment = record.Slice(Length, FragmentLength);
    }

    public DtlsContentType ContentType { get; }

    /// <summary>Wire version: 0xFEFD for DTLS 1.2, 0xFEFF for DTLS 1.0 (used in early hellos).</summary>
    public ushort Version { get; }

    public ushort Epoch { get; }

    /// <summary>48-bit record sequence number.</summary>
    public long SequenceNumber { get; }

    public ushort FragmentLength { get; }

    public ReadOnlySpan<byte> Fragment { get; }

    /// <summary>Header plus fragment.</summary>
    public int RecordLength => Length + FragmentLength;

    /// <summary>Reads the record at the start of <paramref name="datagram"/>. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out DtlsRecordHeader header, out DtlsRecordError error)
    {
        header = default;
        if (datagram.Length < Length)
        {
            error = DtlsRecordError.TooShort;
            return false;
        }
        if (datagram[0] is < (byte)DtlsContentType.ChangeCipherSpec or > (byte)DtlsContentType.ApplicationData)
        {
            error = DtlsRecordError.UnknownContentType;
            return false;
        }
        // Only DTLS 1.0 (254,255) and 1.2 (254,253; also DTLS 1.3's legacy_record_version, RFC 9147 §4): BouncyCastle
        // answers any other version in an established association with a fatal internal_error, which would let
        // one junk datagram end the session.
        if (datagram[VersionOffset] != DtlsMajorVersion || datagram[VersionOffset + 1] is not (Dtls10Minor or Dtls12Minor))
        {
            error = DtlsRecordError.NotDtlsVersion;
            return false;
        }
        int fragmentLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[LengthOffset..]);
        if (fragmentLength > MaxFragmentLength)
        {
            error = DtlsRecordError.FragmentTooLong;
            return false;
        }
        if (datagram.Length - Length < fragmentLength)
        {
            error = DtlsRecordError.Truncated;
            return false;
        }
        header = new DtlsRecordHeader(datagram);
        error = DtlsRecordError.None;
        return true;
    }

    public static bool TryParse(ReadOnlySpan<byte> datagram, out DtlsRecordHeader header) =>
        TryParse(datagram, out header, out _);

    /// <summary>
    /// True when the datagram is a sequence of well-formed DTLS records that exactly fills it; what a
    /// conforming peer sends. Checks headers only, no cryptography. Never throws.
    /// </summary>
    public static bool IsWellFormedDatagram(ReadOnlySpan<byte> datagram, out DtlsRecordError error)
    {
        if (datagram.IsEmpty)
        {
            error = DtlsRecordError.TooShort;
            return false;
        }
        while (!datagram.IsEmpty)
        {
            if (!TryParse(datagram, out var header, out error))
                return false;
            datagram = datagram[header.RecordLength..];
        }
        error = DtlsRecordError.None;
        return true;
    }
}
