using System.Collections.Immutable;
using Grains.Interfaces.Routing;

namespace Grains.Routing;

/// <summary>
/// Next-hop tables from nodes and measured directed links. Pure: no Orleans, no clock (callers pass the time).
/// <para>For each destination, Dijkstra runs backwards from it over <see cref="RouteCosts.LinkCost"/>, so every
/// destination gets one shortest-path tree: next hops are consistent along a path and no table can loop.
/// Hysteresis: a link that is part of the current route toward that destination costs
/// <see cref="RouteCosts.Incumbency"/> less during the search (max(15%, 10 ms)), so a new path wins only when it is
/// better by that margin on every current link it replaces; reported costs are always the true ones.</para>
/// </summary>
public sealed class RouteComputation
{
    private readonly SortedSet<string> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), RouteLink> _links = [];
    private Dictionary<string, RouteTable> _tables = new(StringComparer.Ordinal);

    public long Version { get; private set; }

    public IReadOnlyCollection<string> Nodes => _nodes;

    public bool AddNode(string node) => _nodes.Add(node);

    /// <summary>Forgets the node and every link from or to it.</summary>
    public bool RemoveNode(string node)
    {
        if (!_nodes.Remove(node))
            return false;
        foreach (var key in _links.Keys.Where(k => k.From == node || k.To == node).ToList())
            _links.Remove(key);
        return true;
    }

    /// <summary>Replaces the links reported by <paramref name="source"/>; links to unknown nodes or to itself are ignored.</summary>
    public void ReportLinks(string source, IEnumerable<LinkProbe> probes, DateTimeOffset now)
    {
        if (!_nodes.Contains(source))
            return;
        foreach (var key in _links.Keys.Where(k => k.From == source).ToList())
            _links.Remove(key);
        foreach (var p in probes)
        {
            if (p.To == source || !_nodes.Contains(p.To))
                continue;
            _links[(source, p.To)] = new RouteLink(source, p.To, p.RttMs, p.LossPct, p.JitterMs,
                RouteCosts.LinkCost(p.RttMs, p.LossPct, p.JitterMs), now);
        }
    }

    /// <summary>Drops links not reported since <paramref name="cutoff"/> (a prober that stopped reporting).</summary>
    public int ExpireLinks(DateTimeOffset cutoff)
    {
        var stale = _links.Where(l => l.Value.ReportedAt < cutoff).Select(l => l.Key).ToList();
        foreach (var key in stale)
            _links.Remove(key);
        return stale.Count;
    }

    public ImmutableArray<RouteLink> Links =>
        [.. _links.Values.OrderBy(l => l.From, StringComparer.Ordinal).ThenBy(l => l.To, StringComparer.Ordinal)];

    public RouteTable TableOf(string node) => _tables.GetValueOrDefault(node) ?? new RouteTable(node, 0, []);

    public RouteSnapshot Snapshot() =>
        new(Version, [.. _nodes], Links, [.. _nodes.Select(TableOf)]);

    /// <summary>Computes every table again; a table whose routes changed gets a new version. True when any changed.</summary>
    public bool Recompute()
    {
        var nodes = _nodes.ToArray();
        var routes = nodes.ToDictionary(n => n, _ => new List<RouteEntry>(), StringComparer.Ordinal);
        foreach (string destination in nodes)
        {
            foreach (var (node, entry) in TreeToward(destination, nodes))
                routes[node].Add(entry);
        }

        bool changed = false;
        var tables = new Dictionary<string, RouteTable>(StringComparer.Ordinal);
        foreach (string node in nodes)
        {
            var fresh = routes[node].ToImmutableArray();
            var old = _tables.GetValueOrDefault(node);
            if (old is not null && SameRoutes(old.Routes, fresh))
            {
                tables[node] = old with { Routes = fresh };
                continue;
            }
            changed = true;
            tables[node] = new RouteTable(node, (old?.Version ?? 0) + 1, fresh);
        }
        changed |= _tables.Keys.Any(n => !tables.ContainsKey(n));
        _tables = tables;
        if (changed)
            Version++;
        return changed;
    }

    /// <summary>Same next hops and paths; costs may drift without a new version.</summary>
    private static bool SameRoutes(ImmutableArray<RouteEntry> a, ImmutableArray<RouteEntry> b) =>
        a.Length == b.Length && a.Zip(b).All(p => p.First.Destination == p.Second.Destination && p.First.Path.SequenceEqual(p.Second.Path));

    /// <summary>Backward Dijkstra from <paramref name="destination"/>: each node's next hop and true path cost toward it.</summary>
    private IEnumerable<(string Node, RouteEntry Entry)> TreeToward(string destination, string[] nodes)
    {
        var searchCost = new Dictionary<string, double>(StringComparer.Ordinal) { [destination] = 0 };
        var trueCost = new Dictionary<string, double>(StringComparer.Ordinal) { [destination] = 0 };
        var nextHop = new Dictionary<string, string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var queue = new PriorityQueue<string, (double, string)>(Comparer<(double Cost, string Node)>.Create(
            (x, y) => x.Cost != y.Cost ? x.Cost.CompareTo(y.Cost) : string.CompareOrdinal(x.Node, y.Node)));
        queue.Enqueue(destination, (0, destination));
        while (queue.TryDequeue(out string? reached, out _))
        {
            if (!done.Add(reached))
                continue;
            foreach (string from in nodes)
            {
                if (done.Contains(from) || !_links.TryGetValue((from, reached), out var link) || !double.IsFinite(link.CostMs))
                    continue;
                bool incumbent = _tables.GetValueOrDefault(from)?.RouteTo(destination)?.NextHop == reached;
                double cost = searchCost[reached] + link.CostMs - (incumbent ? Math.Min(link.CostMs, RouteCosts.Incumbency(link.CostMs)) : 0);
                if (searchCost.TryGetValue(from, out double known) && (known < cost || (known == cost && string.CompareOrdinal(nextHop[from], reached) <= 0)))
                    continue;
                searchCost[from] = cost;
                trueCost[from] = trueCost[reached] + link.CostMs;
                nextHop[from] = reached;
                queue.Enqueue(from, (cost, from));
            }
        }
        foreach (var (node, hop) in nextHop)
        {
            var path = ImmutableArray.CreateBuilder<string>();
            for (string at = hop; ; at = nextHop[at])
            {
                path.Add(at);
                if (at == destination)
                    break;
            }
            yield return (node, new RouteEntry(destination, hop, Math.Round(trueCost[node], 3), path.ToImmutable()));
        }
    }
}
