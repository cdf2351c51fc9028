using Grains.Interfaces.Media;

namespace Gateway.NodeSelection;

/// <summary>
/// The region strategy: the least loaded node of the client's region, else of the nearest region that has
/// a node (in the configured neighbour order), else the least loaded node anywhere.
/// </summary>
public sealed class RegionalNodePicker(NearestRegions nearest)
{
    /// <returns>The chosen node and why, or null when <paramref name="nodes"/> is empty.</returns>
    public (MediaNodeInfo Node, SelectionReason Reason)? Pick(IReadOnlyCollection<MediaNodeInfo> nodes, string? clientRegion)
    {
        if (nodes.Count == 0)
            return null;
        if (clientRegion is null)
            return (LeastLoaded.Pick(nodes)!, SelectionReason.UnknownRegion);

        foreach (string region in nearest.InOrder(clientRegion))
        {
            var best = LeastLoaded.Pick(nodes.Where(n => string.Equals(n.Region, region, StringComparison.OrdinalIgnoreCase)));
            if (best is not null)
            {
                bool own = string.Equals(region, clientRegion, StringComparison.OrdinalIgnoreCase);
                return (best, own ? SelectionReason.RegionMatch : SelectionReason.NearestRegion);
            }
        }
        return (LeastLoaded.Pick(nodes)!, SelectionReason.AnyNode);
    }
}
