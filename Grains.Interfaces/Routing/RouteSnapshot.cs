using System.Collections.Immutable;

namespace Grains.Interfaces.Routing;

/// <summary>Everything the route table grain knows: nodes, links, every node's table.</summary>
/// <param name="Version">Grows each time any table changes.</param>
[GenerateSerializer, Immutable, Alias("Rtc.RouteSnapshot")]
public sealed record RouteSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableArray<string> Nodes,
    [property: Id(2)] ImmutableArray<RouteLink> Links,
    [property: Id(3)] ImmutableArray<RouteTable> Tables);
