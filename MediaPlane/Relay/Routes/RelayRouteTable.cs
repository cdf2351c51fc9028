using System.Collections.Frozen;

namespace MediaPlane.Relay.Routes;

/// <summary>
/// This node's next-hop table as the route control node last pushed it: for each destination node, the neighbour to
/// send toward it. Replaced whole when a newer version arrives (an older or equal one is ignored, so a delayed push
/// cannot undo a newer one); hops read it without locks. Forwarding looks destinations up by their
/// <see cref="RelayIds.Hash"/>, computed here once per table, never per packet.
/// </summary>
public sealed class RelayRouteTable
{
    public static readonly RelayRouteTable Empty = new(0, new Dictionary<string, string>());

    public RelayRouteTable(long version, IReadOnlyDictionary<string, string> nextHops)
    {
        Version = version;
        NextHops = nextHops.ToFrozenDictionary(StringComparer.Ordinal);
        NextHopByHash = nextHops.ToFrozenDictionary(e => RelayIds.Hash(e.Key), e => RelayIds.Hash(e.Value));
    }

    public long Version { get; }

    /// <summary>Destination node id → next-hop node id.</summary>
    public FrozenDictionary<string, string> NextHops { get; }

    internal FrozenDictionary<ulong, ulong> NextHopByHash { get; }

    public string? NextHopTo(string destination) => NextHops.GetValueOrDefault(destination);
}
