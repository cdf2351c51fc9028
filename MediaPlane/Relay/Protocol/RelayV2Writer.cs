using System.Buffers.Binary;

namespace MediaPlane.Relay.Protocol;

/// <summary>
/// Builds relay v2 datagrams (layout in <see cref="RelayV2Packet"/>) into a caller's buffer, unsealed: the
/// payload in clear and the tag space zeroed. <see cref="RelaySendLink"/> assigns key id and sequence and
/// seals it; nothing here allocates.
/// </summary>
public static class RelayV2Writer
{
    /// <summary>Header length for <paramref name="destinationCount"/> destinations.</summary>
    public static int HeaderLength(int destinationCount) => RelayV2Packet.DestinationsOffset + 8 * destinationCount;

    /// <summary>
    /// Header, payload, room for the tag. <paramref name="moreDestinations"/> follow the header's destination
    /// (none with a route id). The payload may already sit at its place in <paramref name="destination"/>
    /// (the copy is then a no-op move), so a packet can be built in place.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, in RelayV2Header header, byte keyId, ulong sequence,
        ReadOnlySpan<ulong> moreDestinations, ReadOnlySpan<byte> payload, out int written)
    {
        written = 0;
        int count = 1 + moreDestinations.Length;
        if (count > RelayV2Packet.MaxDestinations || (header.IsRouteId && count != 1)
            || header.Type is < RelayV2PacketType.Media or > RelayV2PacketType.Control)
            return false;
        int headerLength = HeaderLength(count);
        int length = headerLength + payload.Length + RelayV2Packet.TagLength;
        if (destination.Length < length)
            return false;
        payload.CopyTo(destination[headerLength..]);
        destination[0] = RelayV2Packet.Version;
        destination[RelayV2Packet.TypeOffset] = (byte)header.Type;
        destination[RelayV2Packet.HopLimitOffset] = header.HopLimit;
        destination[RelayV2Packet.KeyIdOffset] = keyId;
        destination[RelayV2Packet.FlagsOffset] = header.IsRouteId ? RelayV2Packet.RouteIdFlag : (byte)0;
        destination[RelayV2Packet.DestinationCountOffset] = (byte)count;
        destination[RelayV2Packet.ReservedOffset] = 0;
        destination[RelayV2Packet.ReservedOffset + 1] = 0;
        BinaryPrimitives.WriteUInt64BigEndian(destination[RelayV2Packet.SequenceOffset..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[RelayV2Packet.TimestampOffset..], header.Timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(destination[RelayV2Packet.RoomOffset..], header.Room);
        BinaryPrimitives.WriteUInt64BigEndian(destination[RelayV2Packet.StreamOffset..], header.Stream);
        BinaryPrimitives.WriteUInt64BigEndian(destination[RelayV2Packet.SourceOffset..], header.Source);
        BinaryPrimitives.WriteUInt64BigEndian(destination[RelayV2Packet.DestinationsOffset..], header.Destination);
        for (int i = 0; i < moreDestinations.Length; i++)
            BinaryPrimitives.WriteUInt64BigEndian(destination[(RelayV2Packet.DestinationsOffset + 8 * (i + 1))..], moreDestinations[i]);
        destination.Slice(headerLength + payload.Length, RelayV2Packet.TagLength).Clear();
        written = length;
        return true;
    }
}
