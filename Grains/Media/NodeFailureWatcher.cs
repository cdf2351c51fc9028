using Grains.Interfaces.Media;
using Grains.Interfaces.Signaling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
    ILogger<NodeFailureWatcher> logger) : BackgroundService
{
    private readonly HashSet<SiloAddress> _handled = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var member in snapshot.Members.Values)
                {
                    if (member.Status == SiloStatus.Dead && !member.SiloAddress.Equals(silo.SiloAddress) && _handled.Add(member.SiloAddress))
                        _ = Task.Run(() => HandleDeadAsync(member.SiloAddress, stoppingToken), CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Silo stopping.
        }
    }

    private async Task HandleDeadAsync(SiloAddress dead, CancellationToken stoppingToken)
    {
        string nodeId = dead.ToParsableString();
        var started = DateTimeOffset.UtcNow;
        try
        {
            await grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).RemoveAsync(nodeId);
        }
        catch (Exception e)
        {
            LogFailed(e, nodeId);
        }
        try
        {
            // Its hosted gateway is gone too: reconnect requests must not wait for pushes to it.
            await grains.GetGrain<IGatewayRegistryGrain>(IGatewayRegistryGrain.Key).UnregisterAsync(IGatewayRegistryGrain.SiloGatewayId(nodeId));
        }
        catch (Exception e)
        {
            LogFailed(e, nodeId);
        }
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

    [LoggerMessage(40, LogLevel.Warning, "Silo {NodeId} is dead: {Count} of its sessions asked to reconnect and closed in {Ms:F0} ms")]
    private partial void LogHandled(string nodeId, int count, double ms);

    [LoggerMessage(41, LogLevel.Warning, "Handling the death of silo {NodeId} failed")]
    private partial void LogFailed(Exception e, string nodeId);
}
