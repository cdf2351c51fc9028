using Grains.Interfaces.Media;
using Grains.Interfaces.Signaling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grains.Media;

/// <summary>
/// Runs on every silo and follows Orleans membership. When a silo is declared dead, its media node leaves
/// the directory and its sessions' index (<see cref="IMediaNodeSessionsGrain"/>, in storage) tells each
/// session to request a reconnect and close. Every survivor reacts; the index grain makes that idempotent,
/// and silos dead before this one started (a restarted cluster) are handled too.
/// </summary>
public sealed partial class NodeFailureWatcher(
    IClusterMembershipService membership,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<MediaNodeOptions> options,
    ILogger<NodeFailureWatcher> logger) : BackgroundService
{
    private readonly HashSet<SiloAddress> _handled = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = SweepForeignNodesAsync(stoppingToken);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var member in snapshot.Members.Values)
                {
                    if (member.Status == SiloStatus.Dead && !member.SiloAddress.Equals(silo.SiloAddress))
                        Handle(member.SiloAddress, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Silo stopping.
        }
        await sweeping;
    }

    private void Handle(SiloAddress dead, CancellationToken stoppingToken)
    {
        lock (_handled)
        {
            if (!_handled.Add(dead))
                return;
        }
        _ = Task.Run(() => HandleDeadAsync(dead, stoppingToken), CancellationToken.None);
    }

    /// <summary>
    /// Nodes with sessions that are not in this cluster's membership at all belong to an earlier incarnation of the
    /// cluster (restarted as a whole under a new ClusterId): they are dead. Only nodes started before this silo are
    /// judged: this silo read the whole membership table when it joined, so such a node of this cluster is in it.
    /// </summary>
    private async Task SweepForeignNodesAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await Task.Delay(o.ForeignNodeSweepDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var members = membership.CurrentSnapshot.Members;
                foreach (string nodeId in await grains.GetGrain<IKnownMediaNodesGrain>(IKnownMediaNodesGrain.Key).GetAsync())
                {
                    if (TryParseNode(nodeId) is { } node && !members.ContainsKey(node) && node.Generation < silo.SiloAddress.Generation)
                    {
                        LogForeignNode(nodeId);
                        Handle(node, stoppingToken);
                    }
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e, "(sweep)");
            }
            await Task.Delay(o.ForeignNodeSweepPeriod, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static SiloAddress? TryParseNode(string nodeId)
    {
        try
        {
            return SiloAddress.FromParsableString(nodeId);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private async Task HandleDeadAsync(SiloAddress dead, CancellationToken stoppingToken)
    {
        string nodeId = dead.ToParsableString();
        // Side by side: the sessions' reconnect requests must not wait for the bookkeeping. The silo's hosted gateway is
        // gone too, so it leaves the registry (pushes to it would only be retried in vain).
        await Task.WhenAll(
            TryAsync(() => grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).RemoveAsync(nodeId), nodeId),
            TryAsync(() => grains.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key).UnregisterAsync(IGatewayRegistryGrain.SiloGatewayId(nodeId)), nodeId),
            CloseSessionsAsync(nodeId, stoppingToken));
    }

    private async Task CloseSessionsAsync(string nodeId, CancellationToken stoppingToken)
    {
        var started = DateTimeOffset.UtcNow;
        // The index grain may have lived on the dead silo: until the cluster has caught up, retry, quickly at first
        // (the reconnect requests should go out within about a second), for about 20 s in all.
        for (int attempt = 1; attempt <= 12 && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                int closed = await grains.GetGrain<IMediaNodeSessionsGrain>(nodeId).NodeDiedAsync();
                if (closed > 0)
                    LogHandled(nodeId, closed, (DateTimeOffset.UtcNow - started).TotalMilliseconds);
                return;
            }
            catch (Exception e)
            {
                LogFailed(e, nodeId);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task TryAsync(Func<Task> step, string nodeId)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            LogFailed(e, nodeId);
        }
    }

    [LoggerMessage(40, LogLevel.Warning, "Silo {NodeId} is dead: {Count} of its sessions asked to reconnect and closed in {Ms:F0} ms")]
    private partial void LogHandled(string nodeId, int count, double ms);

    [LoggerMessage(42, LogLevel.Warning, "Media node {NodeId} has sessions but is not a member of this cluster (an earlier incarnation): closing them")]
    private partial void LogForeignNode(string nodeId);

    [LoggerMessage(41, LogLevel.Warning, "Handling the death of silo {NodeId} failed")]
    private partial void LogFailed(Exception e, string nodeId);
}
