namespace Gateway.Api;

/// <summary>GET /v1/routes: the route table grain's view. Costs in ms (README "Routes").</summary>
public sealed record RouteListDto(long Version, IReadOnlyList<string> Nodes, IReadOnlyList<RouteLinkDto> Links, IReadOnlyList<RouteTableDto> Tables);

/// <summary>A directed link as its source's prober last reported it. <c>costMs</c> is null for an unusable link.</summary>
public sealed record RouteLinkDto(string From, string To, double RttMs, double LossPct, double JitterMs, double? CostMs, DateTimeOffset ReportedAt);

/// <summary>One node's next-hop table and its version.</summary>
public sealed record RouteTableDto(string Node, long Version, IReadOnlyList<RouteEntryDto> Routes);

/// <summary>Toward <c>destination</c>: send to <c>nextHop</c>; <c>path</c> lists the hops up to the destination.</summary>
public sealed record RouteEntryDto(string Destination, string NextHop, double CostMs, IReadOnlyList<string> Path);
