namespace Grains.Interfaces.Routing;

/// <summary>One directed link's quality as its source silo's prober measured it (source to <paramref name="To"/>).</summary>
/// <param name="To">The node the probes went to (its silo address in Orleans' parsable form).</param>
/// <param name="RttMs">Round-trip time of the probes, milliseconds.</param>
/// <param name="LossPct">Probes lost, percent (0-100).</param>
/// <param name="JitterMs">Mean deviation of the one-way transit time, milliseconds.</param>
[GenerateSerializer, Immutable, Alias("Rtc.LinkProbe")]
public sealed record LinkProbe(
    [property: Id(0)] string To,
    [property: Id(1)] double RttMs,
    [property: Id(2)] double LossPct,
    [property: Id(3)] double JitterMs);
