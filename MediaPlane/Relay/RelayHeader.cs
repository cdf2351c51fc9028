namespace MediaPlane.Relay;

/// <summary>
/// The fields of a relay packet's fixed header (layout in <see cref="RelayPacketReader"/>). The 64-bit
/// ids are <see cref="RelayIds.Hash"/> of the room id, stream id and node id strings, computed once
/// when an export or import is set up, never per packet.
/// </summary>
/// <param name="HopLimit">Hops the packet may still take; each forwarding hop decrements it, and a
/// packet that arrives with 0 is dropped (a routing loop cannot circulate forever).</param>
/// <param name="Sequence">Per (stream, destination) counter of the sender, for loss accounting and
/// (later) retransmission between relays.</param>
public readonly record struct RelayHeader(
    RelayPacketKind Kind,
    byte HopLimit,
    uint Sequence,
    ulong RoomHash,
    ulong StreamHash,
    ulong SourceNode,
    ulong DestinationNode)
{
    /// <summary>Hop limit a sender starts with: enough for any cascade we plan (SEED.md §3).</summary>
    public const byte DefaultHopLimit = 8;
}
