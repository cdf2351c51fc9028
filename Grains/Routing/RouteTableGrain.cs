using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Grains.Interfaces.Routing;

namespace Grains.Routing;

/// <summary>
/// See <see cref="IRouteTableGrain"/>. In memory only, on purpose: nodes come from Orleans membership (read on every
/// call and once a second) and links from the probers' next reports, so a new activation after its silo died has
/// the same tables again within seconds, and nothing stale survives a restart. Links not reported for
/// <see cref="LinkLifetime"/> are dropped (their prober is gone or cannot reach us).
/// <para>Every table that changed is pushed to its node's media node grain at once (one-way), and every table again
/// each <see cref="RepushPeriod"/>, so a lost push or a node that joined between changes catches up. Push versions are
/// this activation's start in Unix milliseconds times 10^6 plus the table's version: a later activation (the grain's
/// silo died) always pushes above what nodes hold from the earlier one.</para>
/// </summary>
public sealed class RouteTableGrain(IClusterMembershipService membership, TimeProvider clock) : Grain, IRouteTableGrain
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SyncPeriod = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RepushPeriod = TimeSpan.FromSeconds(5);

    private readonly RouteComputation _routes = new();
    private readonly Dictionary<string, long> _pushed = new(StringComparer.Ordinal);
    private MembershipVersion _seen = MembershipVersion.MinValue;
    private long _pushBase;
    private DateTimeOffset _lastFullPush;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pushBase = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        Refresh(force: true);
        this.RegisterGrainTimer(() => { Refresh(force: false); return Task.CompletedTask; },
            new GrainTimerCreationOptions(SyncPeriod, SyncPeriod) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task<long> ReportLinksAsync(string sourceNode, ImmutableArray<LinkProbe> links)
    {
        SyncMembership();
        _routes.ReportLinks(sourceNode, links.IsDefault ? [] : links, clock.GetUtcNow());
        _routes.Recompute();
        Push();
        return Task.FromResult(_routes.Version);
    }

    public Task<RouteSnapshot> GetTablesAsync()
    {
        Refresh(force: false);
        return Task.FromResult(_routes.Snapshot());
    }

    public Task<RouteTable> GetTableAsync(string node)
    {
        Refresh(force: false);
        return Task.FromResult(_routes.TableOf(node));
    }

    /// <summary>Joins, deaths and expired links; recomputes only when something changed.</summary>
    private void Refresh(bool force)
    {
        bool changed = SyncMembership();
        changed |= _routes.ExpireLinks(clock.GetUtcNow() - LinkLifetime) > 0;
        if (changed || force)
            _routes.Recompute();
        Push();
    }

    /// <summary>Sends each node whose table changed since its last push (or every node, every <see cref="RepushPeriod"/>) its table.</summary>
    private void Push()
    {
        var now = clock.GetUtcNow();
        bool everyone = now - _lastFullPush >= RepushPeriod;
        if (everyone)
            _lastFullPush = now;
        foreach (string node in _routes.Nodes)
        {
            var table = _routes.TableOf(node);
            if (table.Version == 0 || (!everyone && _pushed.GetValueOrDefault(node) == table.Version))
                continue;
            _pushed[node] = table.Version;
            // One-way: a dead or unreachable node costs nothing here (its activation fails on its own).
            _ = GrainFactory.GetGrain<IMediaNodeGrain>(node).ApplyRouteTableAsync(_pushBase + table.Version, table);
        }
        foreach (string gone in _pushed.Keys.Where(n => !_routes.Nodes.Contains(n)).ToList())
            _pushed.Remove(gone);
    }

    /// <summary>Active silos are the nodes; any other status (joining, shutting down, dead) is not routed through.</summary>
    private bool SyncMembership()
    {
        var snapshot = membership.CurrentSnapshot;
        if (snapshot.Version == _seen)
            return false;
        _seen = snapshot.Version;
        var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString()).ToHashSet(StringComparer.Ordinal);
        bool changed = false;
        foreach (string gone in _routes.Nodes.Where(n => !active.Contains(n)).ToList())
            changed |= _routes.RemoveNode(gone);
        foreach (string node in active)
            changed |= _routes.AddNode(node);
        return changed;
    }
}
