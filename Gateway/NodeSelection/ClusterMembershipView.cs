using System.Collections.Immutable;
using Orleans.Runtime;

namespace Gateway.NodeSelection;

/// <summary>
/// Orleans' membership as the cluster sees it (IManagementGrain.GetDetailedHosts), keyed by silo address in
/// parsable form (the media node's id). Read at most once per <see cref="MaxAge"/> and shared by all requests.
/// A failed read yields null: node selection then goes by the media directory alone.
/// </summary>
public sealed partial class ClusterMembershipView(IGrainFactory grains, ILogger<ClusterMembershipView> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private Snapshot? _last;

    public async Task<ImmutableDictionary<string, MembershipEntry>?> GetAsync(CancellationToken cancellationToken = default)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && Environment.TickCount64 - last.ReadAt < MaxAge.TotalMilliseconds)
            return last.Entries;
        try
        {
            var entries = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(Timeout, cancellationToken);
            // A restarted silo on the same endpoint is a new address (generation); keep the newest per address anyway.
            var map = entries.GroupBy(e => e.SiloAddress.ToParsableString())
                .ToImmutableDictionary(g => g.Key, g => g.MaxBy(e => e.StartTime)!);
            Volatile.Write(ref _last, new Snapshot(Environment.TickCount64, map));
            return map;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, e.GetType().Name);
            return null;
        }
    }

    private sealed record Snapshot(long ReadAt, ImmutableDictionary<string, MembershipEntry> Entries);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Cluster membership could not be read ({Reason}); choosing nodes by the media directory alone")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
