using System.Net;

namespace Gateway.NodeSelection;

/// <summary>
/// Region by configured networks (<c>NodeSelection:Regions</c>: region → list of CIDRs). The most specific
/// network wins (longest prefix), so "10.0.0.0/8: us" with "10.1.0.0/16: eu" sends 10.1.x.x to eu.
/// </summary>
public sealed class CidrRegionTable : IRegionLookup
{
    private readonly (IpNetwork Network, string Region)[] _entries;

    private CidrRegionTable((IpNetwork, string)[] entries) =>
        // Longest prefix first: the first match is the most specific one.
        _entries = [.. entries.OrderByDescending(e => e.Item1.PrefixLength)];

    public static CidrRegionTable Empty { get; } = new([]);

    public int Count => _entries.Length;

    /// <summary>Parses the table; the error names the region and the bad entry. The same network in two regions is refused.</summary>
    public static bool TryCreate(IReadOnlyDictionary<string, string[]> regions, out CidrRegionTable table, out string error)
    {
        var entries = new List<(IpNetwork, string)>();
        var seen = new Dictionary<IpNetwork, string>();
        foreach (var (region, networks) in regions)
        {
            if (string.IsNullOrWhiteSpace(region))
            {
                table = Empty;
                error = "a region name is empty";
                return false;
            }
            foreach (string text in networks)
            {
                if (!IpNetwork.TryParse(text, out var network, out string why))
                {
                    table = Empty;
                    error = $"region '{region}': {why}";
                    return false;
                }
                if (seen.TryGetValue(network, out string? other) && other != region)
                {
                    table = Empty;
                    error = $"network {network} is listed for both '{other}' and '{region}'";
                    return false;
                }
                seen[network] = region;
                entries.Add((network, region));
            }
        }
        table = new CidrRegionTable([.. entries]);
        error = "";
        return true;
    }

    public string? RegionOf(IPAddress address)
    {
        foreach (var (network, region) in _entries)
            if (network.Contains(address))
                return region;
        return null;
    }
}
