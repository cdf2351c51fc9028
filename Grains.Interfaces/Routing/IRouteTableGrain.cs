using System.Collections.Immutable;

namespace Grains.Interfaces.Routing;

/// <summary>
/// The cluster's route control node (one grain, key <see cref="Key"/>): knows every live silo from membership and
/// every directed link from the probers' reports, and computes each node's next-hop table. Its state lives in
/// memory only: a new activation rebuilds it from membership at once and from the next probe reports (about
/// once a second), so losing its silo costs a few seconds of route changes, not routes.
/// </summary>
[Alias("Rtc.IRouteTableGrain")]
public interface IRouteTableGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>The latest measurements of the links from <paramref name="sourceNode"/>; recomputes the tables.</summary>
    /// <returns>The snapshot version after the report.</returns>
    [Alias("ReportLinks")] Task<long> ReportLinksAsync(string sourceNode, ImmutableArray<LinkProbe> links);

    [Alias("GetTables")] Task<RouteSnapshot> GetTablesAsync();

    /// <summary>One node's table; an empty table of version 0 for a node it does not know.</summary>
    [Alias("GetTable")] Task<RouteTable> GetTableAsync(string node);
}
