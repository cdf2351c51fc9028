using System.Collections.Immutable;

namespace Grains.Interfaces.Routing;

/// <summary>One node's next-hop table. <paramref name="Version"/> grows each time any of its entries changes.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.RouteTable")]
public sealed record RouteTable(
    [property: Id(0)] string Node,
    [property: Id(1)] long Version,
    [property: Id(2)] ImmutableArray<RouteEntry> Routes)
{
    public RouteEntry? RouteTo(string destination) => Routes.FirstOrDefault(r => r.Destination == destination);
}
