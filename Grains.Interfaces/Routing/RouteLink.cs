namespace Grains.Interfaces.Routing;

/// <summary>A directed link between two nodes as last reported, and the cost routing gives it.</summary>
/// <param name="CostMs">See README "Routes": rttMs / 2 + jitterMs + 10 ms per percent of loss.</param>
[GenerateSerializer, Immutable, Alias("Rtc.RouteLink")]
public sealed record RouteLink(
    [property: Id(0)] string From,
    [property: Id(1)] string To,
    [property: Id(2)] double RttMs,
    [property: Id(3)] double LossPct,
    [property: Id(4)] double JitterMs,
    [property: Id(5)] double CostMs,
    [property: Id(6)] DateTimeOffset ReportedAt);
