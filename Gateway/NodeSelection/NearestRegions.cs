namespace Gateway.NodeSelection;

/// <summary>
/// Which regions to try, in order, when a client's own region has no live node
/// (<c>NodeSelection:Nearest</c>: region → neighbours nearest first, e.g. eu → [us, ap]).
/// </summary>
public sealed class NearestRegions(IReadOnlyDictionary<string, string[]> neighbours)
{
    public static NearestRegions None { get; } = new(new Dictionary<string, string[]>());

    /// <summary>The region itself, then its configured neighbours, without repeats.</summary>
    public IEnumerable<string> InOrder(string region)
    {
        yield return region;
        if (!neighbours.TryGetValue(region, out var list))
            yield break;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { region };
        foreach (string next in list)
            if (!string.IsNullOrWhiteSpace(next) && seen.Add(next))
                yield return next;
    }
}
