using System.Buffers.Binary;
using MediaPlane.Demux;

namespace MediaPlane.Relay;

/// <summary>
/// A relay datagram between our media nodes (SEED.md §3: a private protocol, not WebRTC between SFUs).
/// Fixed 40-byte header, the payload, then a truncated HMAC-SHA256 tag over header and payload:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0|version|     kind      |   hop limit   |  flags (0)    |  0
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     relay sequence number                     |  4
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      room id hash (64)                        |  8
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     stream id hash (64)                       | 16
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     source node id (64)                       | 24
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  destination node id (64)                     | 32
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        payload: plain RTP or RTCP, or empty (kind) ...        | 40
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     authentication tag: HMAC-SHA256(cluster key, header |     |
/// |     payload) truncated to its first 96 bits                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Byte 0 is the version byte: 0x04 is version 1; 0x05-0x0F are kept for later versions. It lies in
/// the 4-15 range <see cref="PacketClassifier"/> keeps for the relay, so a relay port could share
/// a demultiplexed port. Ids are <see cref="RelayIds.Hash"/> of their strings, so a forwarding node
/// routes without look-ups by name. The tag covers the hop limit, so each forwarding hop re-signs.
/// Parsing checks structure only; <see cref="RelayAuthenticator.Verify"/> checks the tag.
/// </summary>
public readonly ref struct RelayPacketReader
{
    public const byte Version1 = 0x04;
    public const int HeaderLength = 40;
    public const int TagLength = RelayAuthenticator.TagLength;
    public const int Overhead = HeaderLength + TagLength;

    private const int KindOffset = 1;
    private const int HopLimitOffset = 2;
    private const int FlagsOffset = 3;
    private const int SequenceOffset = 4;
    private const int RoomOffset = 8;
    private const int StreamOffset = 16;
    private const int SourceOffset = 24;
    private const int DestinationOffset = 32;

    private RelayPacketReader(ReadOnlySpan<byte> datagram, RelayHeader header)
    {
        Datagram = datagram;
        Header = header;
    }

    /// <summary>The whole datagram (header, payload, tag).</summary>
    public ReadOnlySpan<byte> Datagram { get; }

    public RelayHeader Header { get; }

    public RelayPacketKind Kind => Header.Kind;

    /// <summary>Header and payload: what the tag authenticates.</summary>
    public ReadOnlySpan<byte> Authenticated => Datagram[..^TagLength];

    public ReadOnlySpan<byte> Payload => Datagram[HeaderLength..^TagLength];

    public ReadOnlySpan<byte> Tag => Datagram[^TagLength..];

    public static bool TryParse(ReadOnlySpan<byte> datagram, out RelayPacketReader packet, out RelayParseError error)
    {
        packet = default;
        if (datagram.IsEmpty || datagram[0] < PacketClassifier.RelayFirstByteMin || datagram[0] > PacketClassifier.RelayFirstByteMax)
        {
            error = RelayParseError.NotRelay;
            return false;
        }
        if (datagram.Length < Overhead)
        {
            error = RelayParseError.TooShort;
            return false;
        }
        if (datagram[0] != Version1)
        {
            error = RelayParseError.UnsupportedVersion;
            return false;
        }
        var kind = (RelayPacketKind)datagram[KindOffset];
        if (kind is not (RelayPacketKind.Rtp or RelayPacketKind.RtcpFeedback or RelayPacketKind.Keepalive or RelayPacketKind.StreamEnded))
        {
            error = RelayParseError.UnknownKind;
            return false;
        }
        if (datagram[FlagsOffset] != 0)
        {
            error = RelayParseError.ReservedBitsSet;
            return false;
        }
        var header = new RelayHeader(
            kind,
            datagram[HopLimitOffset],
            BinaryPrimitives.ReadUInt32BigEndian(datagram[SequenceOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[RoomOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[StreamOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[SourceOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[DestinationOffset..]));
        packet = new RelayPacketReader(datagram, header);
        error = RelayParseError.None;
        return true;
    }

    /// <summary>Writes the fixed header (the writer's half of the layout above).</summary>
    internal static void WriteHeader(Span<byte> destination, in RelayHeader header)
    {
        destination[0] = Version1;
        destination[KindOffset] = (byte)header.Kind;
        destination[HopLimitOffset] = header.HopLimit;
        destination[FlagsOffset] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[SequenceOffset..], header.Sequence);
        BinaryPrimitives.WriteUInt64BigEndian(destination[RoomOffset..], header.RoomHash);
        BinaryPrimitives.WriteUInt64BigEndian(destination[StreamOffset..], header.StreamHash);
        BinaryPrimitives.WriteUInt64BigEndian(destination[SourceOffset..], header.SourceNode);
        BinaryPrimitives.WriteUInt64BigEndian(destination[DestinationOffset..], header.DestinationNode);
    }
}
