using System.Net;

namespace Gateway.NodeSelection;

/// <summary>Asks each lookup in turn (the CIDR table before GeoIP); the first answer wins.</summary>
public sealed class RegionLookupChain(IReadOnlyList<IRegionLookup> lookups) : IRegionLookup
{
    public string? RegionOf(IPAddress address)
    {
        foreach (var lookup in lookups)
            if (lookup.RegionOf(address) is { } region)
                return region;
        return null;
    }
}
