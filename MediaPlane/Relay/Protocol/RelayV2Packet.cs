using System.Buffers.Binary;
using MediaPlane.Demux;

namespace MediaPlane.Relay.Protocol;

/// <summary>
/// A relay v2 datagram between our media nodes (docs/relay-protocol.md). The header travels in clear and
/// is the AEAD's associated data; the payload is AES-GCM ciphertext, the 16-byte tag ends the datagram:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  version (5)  |     type      |   hop limit   |    key id     |  0
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |R|reserved (0) |  dest count   |         reserved (0)          |  4
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                per-link sequence number (64)                  |  8
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |              send timestamp (32, microseconds)                | 16
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        room (64)                              | 20
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       stream (64)                             | 28
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     source node (64)                          | 36
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        destination node 1, or route id when R (64)            | 44
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :        destination nodes 2 .. dest count (64 each)            :
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :        payload, AES-GCM ciphertext (header = associated data) :  44 + 8 x count
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        AES-GCM tag (128)                                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Byte 0 = 5 lies in the 4-15 range <see cref="PacketClassifier"/> keeps for the relay (version 1 is 4).
/// Parsing checks structure only; <see cref="RelayReceiveLink.TryOpen"/> authenticates and decrypts in place,
/// after which <see cref="Payload"/> reads the plaintext.
/// </summary>
public readonly ref struct RelayV2Packet
{
    public const byte Version = 0x05;
    public const int FixedHeaderLength = 44;
    public const int TagLength = 16;
    public const int MaxDestinations = 8;
    /// <summary>Header with one destination, plus the tag: what v2 adds to a payload.</summary>
    public const int Overhead = FixedHeaderLength + 8 + TagLength;

    internal const int TypeOffset = 1;
    internal const int HopLimitOffset = 2;
    internal const int KeyIdOffset = 3;
    internal const int FlagsOffset = 4;
    internal const int DestinationCountOffset = 5;
    internal const int ReservedOffset = 6;
    internal const int SequenceOffset = 8;
    internal const int TimestampOffset = 16;
    internal const int RoomOffset = 20;
    internal const int StreamOffset = 28;
    internal const int SourceOffset = 36;
    internal const int DestinationsOffset = 44;
    internal const byte RouteIdFlag = 0x80;

    private RelayV2Packet(ReadOnlySpan<byte> datagram, int headerLength)
    {
        Datagram = datagram;
        HeaderLength = headerLength;
    }

    /// <summary>The whole datagram: header, payload, tag.</summary>
    public ReadOnlySpan<byte> Datagram { get; }

    /// <summary>Bytes of header, destinations included: the AEAD's associated data.</summary>
    public int HeaderLength { get; }

    public ReadOnlySpan<byte> Header => Datagram[..HeaderLength];

    /// <summary>Ciphertext before <see cref="RelayReceiveLink.TryOpen"/>, plaintext after it.</summary>
    public ReadOnlySpan<byte> Payload => Datagram[HeaderLength..^TagLength];

    public ReadOnlySpan<byte> Tag => Datagram[^TagLength..];

    public RelayV2PacketType Type => (RelayV2PacketType)Datagram[TypeOffset];

    public byte HopLimit => Datagram[HopLimitOffset];

    public byte KeyId => Datagram[KeyIdOffset];

    public bool IsRouteId => (Datagram[FlagsOffset] & RouteIdFlag) != 0;

    public int DestinationCount => Datagram[DestinationCountOffset];

    public ulong Sequence => BinaryPrimitives.ReadUInt64BigEndian(Datagram[SequenceOffset..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(Datagram[TimestampOffset..]);

    public ulong Room => BinaryPrimitives.ReadUInt64BigEndian(Datagram[RoomOffset..]);

    public ulong Stream => BinaryPrimitives.ReadUInt64BigEndian(Datagram[StreamOffset..]);

    public ulong Source => BinaryPrimitives.ReadUInt64BigEndian(Datagram[SourceOffset..]);

    /// <summary>The first destination node, or the route id when <see cref="IsRouteId"/>.</summary>
    public ulong Destination => DestinationAt(0);

    /// <summary>Destination node <paramref name="index"/> (0-based, below <see cref="DestinationCount"/>).</summary>
    public ulong DestinationAt(int index) =>
        BinaryPrimitives.ReadUInt64BigEndian(Datagram[(DestinationsOffset + 8 * index)..]);

    /// <summary>The sender's header fields (first destination only).</summary>
    public RelayV2Header ToHeader() => new(Type, HopLimit, Timestamp, Room, Stream, Source, Destination, IsRouteId);

    public static bool TryParse(ReadOnlySpan<byte> datagram, out RelayV2Packet packet, out RelayV2ParseError error)
    {
        packet = default;
        error = Check(datagram, out int headerLength);
        if (error != RelayV2ParseError.None)
            return false;
        packet = new RelayV2Packet(datagram, headerLength);
        return true;
    }

    private static RelayV2ParseError Check(ReadOnlySpan<byte> datagram, out int headerLength)
    {
        headerLength = 0;
        if (datagram.IsEmpty || datagram[0] < PacketClassifier.RelayFirstByteMin || datagram[0] > PacketClassifier.RelayFirstByteMax)
            return RelayV2ParseError.NotRelay;
        if (datagram[0] != Version)
            return RelayV2ParseError.UnsupportedVersion;
        if (datagram.Length < FixedHeaderLength + 8 + TagLength)
            return RelayV2ParseError.TooShort;
        if (datagram[TypeOffset] is < (byte)RelayV2PacketType.Media or > (byte)RelayV2PacketType.Control)
            return RelayV2ParseError.UnknownType;
        if ((datagram[FlagsOffset] & ~RouteIdFlag) != 0 || datagram[ReservedOffset] != 0 || datagram[ReservedOffset + 1] != 0)
            return RelayV2ParseError.ReservedBitsSet;
        int count = datagram[DestinationCountOffset];
        bool routeId = (datagram[FlagsOffset] & RouteIdFlag) != 0;
        if (count is 0 or > MaxDestinations || (routeId && count != 1))
            return RelayV2ParseError.BadDestinationCount;
        headerLength = DestinationsOffset + 8 * count;
        if (datagram.Length < headerLength + TagLength)
            return RelayV2ParseError.TooShort;
        return RelayV2ParseError.None;
    }
}
