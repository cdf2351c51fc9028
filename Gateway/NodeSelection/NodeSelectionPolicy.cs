using System.Net;
using Grains.Interfaces.Media;

namespace Gateway.NodeSelection;

/// <summary>
/// The configured strategies put together: who the client is (<see cref="ClientAddressResolver"/>), where
/// it is (<see cref="IRegionLookup"/>: the CIDR table, then GeoIP if configured) and which node serves it
/// (<see cref="RegionalNodePicker"/>). Built once at start-up; a bad entry stops the gateway with a clear message.
/// </summary>
public sealed class NodeSelectionPolicy
{
    public NodeSelectionPolicy(ClientAddressResolver addresses, IRegionLookup regions, RegionalNodePicker picker)
    {
        Addresses = addresses;
        Regions = regions;
        Picker = picker;
    }

    public ClientAddressResolver Addresses { get; }
    public IRegionLookup Regions { get; }
    public RegionalNodePicker Picker { get; }

    public static NodeSelectionPolicy FromOptions(NodeSelectionOptions o)
    {
        if (!TrustedProxies.TryParse(NodeSelectionOptions.Flatten(o.TrustedProxies), out var proxies, out string error))
            throw new InvalidOperationException($"{NodeSelectionOptions.Section}:TrustedProxies: {error}");
        var regions = o.Regions.ToDictionary(r => r.Key, r => NodeSelectionOptions.Flatten(r.Value), StringComparer.OrdinalIgnoreCase);
        if (!CidrRegionTable.TryCreate(regions, out var table, out error))
            throw new InvalidOperationException($"{NodeSelectionOptions.Section}:Regions: {error}");
        IRegionLookup lookup = table;
        if (!string.IsNullOrWhiteSpace(o.GeoIpDatabase))
            lookup = new RegionLookupChain([table, GeoIpRegionLookup.Open(o.GeoIpDatabase, o.GeoIpRegions)]);
        var nearest = new NearestRegions(o.Nearest.ToDictionary(n => n.Key, n => NodeSelectionOptions.Flatten(n.Value), StringComparer.OrdinalIgnoreCase));
        return new NodeSelectionPolicy(new ClientAddressResolver(proxies), lookup, new RegionalNodePicker(nearest));
    }

    /// <summary>Region of the client (null when unknown or when there is no client address).</summary>
    public string? RegionOf(IPAddress? client) => client is null ? null : Regions.RegionOf(client);

    public NodeChoice? Choose(IReadOnlyCollection<MediaNodeInfo> nodes, IPAddress? client)
    {
        string? region = RegionOf(client);
        return Picker.Pick(nodes, region) is { } pick ? new NodeChoice(pick.Node, pick.Reason, client, region) : null;
    }
}

/// <summary>The outcome of node selection for one client.</summary>
public sealed record NodeChoice(MediaNodeInfo Node, SelectionReason Reason, IPAddress? ClientAddress, string? ClientRegion);
