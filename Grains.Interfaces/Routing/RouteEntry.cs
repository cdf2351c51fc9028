namespace Grains.Interfaces.Routing;

/// <summary>How a node reaches one destination: the neighbour to send to, and the whole path's cost.</summary>
/// <param name="Path">The nodes after this one up to and including the destination (NextHop first).</param>
[GenerateSerializer, Immutable, Alias("Rtc.RouteEntry")]
public sealed record RouteEntry(
    [property: Id(0)] string Destination,
    [property: Id(1)] string NextHop,
    [property: Id(2)] double CostMs,
    [property: Id(3)] System.Collections.Immutable.ImmutableArray<string> Path);
