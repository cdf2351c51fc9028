namespace MediaPlane.Relay.Protocol;

/// <summary>
/// The fields of a relay v2 header a sender chooses (layout in <see cref="RelayV2Packet"/>). The key id
/// and the per-link sequence number are not here: the sending link (<see cref="RelaySendLink"/>) assigns
/// them. Room, stream and node ids are <see cref="RelayIds.Hash"/> values computed at set-up time.
/// </summary>
/// <param name="Destination">The destination node, or the route id when <paramref name="IsRouteId"/>;
/// more destination nodes may follow (see <see cref="RelayV2Writer"/>).</param>
/// <param name="Timestamp">Send time in microseconds modulo 2^32 (<see cref="RelayV2Clock"/>); wraps every ~71.6 minutes,
/// so only differences are meaningful.</param>
public readonly record struct RelayV2Header(
    RelayV2PacketType Type,
    byte HopLimit,
    uint Timestamp,
    ulong Room,
    ulong Stream,
    ulong Source,
    ulong Destination,
    bool IsRouteId = false)
{
    /// <summary>Hop limit a sender starts with: enough for any cascade we plan (SEED.md §3).</summary>
    public const byte DefaultHopLimit = 8;
}
