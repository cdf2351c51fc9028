using System.Collections.Immutable;
using Grains.Interfaces.Routing;

namespace Grains.Routing;

/// <summary>
/// See <see cref="IRouteTableGrain"/>. In memory only, on purpose: nodes come from Orleans membership (read on every
/// call and once a second) and links from the probers' next reports, so a new activation after its silo died has
/// the same tables again within seconds, and nothing stale survives a restart. Links not reported for
/// <see cref="LinkLifetime"/> are dropped (their prober is gone or cannot reach us).
/// </summary>
public sealed class RouteTableGrain(IClusterMembershipService membership, TimeProvider clock) : Grain, IRouteTableGrain
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SyncPeriod = TimeSpan.FromSeconds(1);

    private readonly RouteComputation _routes = new();
    private MembershipVersion _seen = MembershipVersion.MinValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
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
