using Grains.Interfaces.Media;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MediaPlane.Contracts;

namespace Grains.Media;

/// <summary>
/// Brings this silo's media node and the grains back in line every <see cref="MediaNodeOptions.ReconcilePeriod"/>, for
/// what a crash between steps or a lost event left behind: a session open on the node that no session grain knows
/// (a gateway or silo died between opening it and recording it) is closed on the node; a session the node's index
/// (<see cref="IMediaNodeSessionsGrain"/>) lists but the node does not have (its close event was lost) is closed in its
/// grain, which undoes it in the room's log. A session is acted on only when two checks in a row saw it so, since
/// opening (node first, then the record) and closing are not atomic.
/// </summary>
public sealed partial class MediaNodeReconciler(
    MediaNodeService media,
    IGrainFactory grains,
    IOptions<MediaNodeOptions> options,
    ILogger<MediaNodeReconciler> logger) : BackgroundService
{
    private HashSet<string> _nodeOnly = [];
    private HashSet<string> _indexOnly = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcilePeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ReconcileOnceAsync();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(e, media.NodeId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Silo stopping.
        }
    }

    /// <summary>One check; returns how many sessions it closed (on the node, in the grains).</summary>
    public async Task<(int OnNode, int InGrains)> ReconcileOnceAsync()
    {
        var index = grains.GetGrain<IMediaNodeSessionsGrain>(media.NodeId);
        // The node's list first: a session opened after it and recorded before the index is read is not node-only.
        var onNode = media.SessionIds().ToHashSet(StringComparer.Ordinal);
        var indexed = (await index.GetAsync()).ToHashSet(StringComparer.Ordinal);

        int closedOnNode = 0, closedInGrains = 0;
        var nodeOnly = onNode.Where(id => !indexed.Contains(id)).ToHashSet(StringComparer.Ordinal);
        foreach (var id in nodeOnly.Where(_nodeOnly.Contains))
        {
            var session = await grains.GetGrain<IClientSessionGrain>(id).GetAsync();
            if (session is { Status: not ClientSessionStatus.Closed } && session.NodeId == media.NodeId)
                continue; // recorded, only its index entry is missing
            if (media.Node.Close(id, SessionCloseReason.Requested, "unknown to the control plane"))
            {
                LogClosedOnNode(id, media.NodeId);
                closedOnNode++;
            }
        }
        _nodeOnly = nodeOnly;

        var indexOnly = indexed.Where(id => !onNode.Contains(id)).ToHashSet(StringComparer.Ordinal);
        foreach (var id in indexOnly.Where(_indexOnly.Contains))
        {
            var grain = grains.GetGrain<IClientSessionGrain>(id);
            var session = await grain.GetAsync();
            if (session is null || session.Status == ClientSessionStatus.Closed || session.NodeId != media.NodeId)
            {
                await index.RemoveAsync(id);
                continue;
            }
            LogClosedInGrains(id, media.NodeId);
            await grain.CloseAsync("not open on its media node", closedByNode: true);
            closedInGrains++;
        }
        _indexOnly = indexOnly;
        return (closedOnNode, closedInGrains);
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Session {SessionId} was open on media node {NodeId} but unknown to the grains: closed on the node")]
    private partial void LogClosedOnNode(string sessionId, string nodeId);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Session {SessionId} was recorded on media node {NodeId} but not open there: closed in the grains and the room")]
    private partial void LogClosedInGrains(string sessionId, string nodeId);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Reconciling media node {NodeId} with the grains failed")]
    private partial void LogFailed(Exception e, string nodeId);
}
