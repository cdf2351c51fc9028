namespace Gateway;

/// <summary>
/// Keeps the standalone gateway trying to reach the cluster instead of failing at start-up: the gateway
/// serves /healthz at once and /readyz turns 200 when the silos are up, whatever the start order.
/// </summary>
public sealed partial class ClusterConnectionRetry(ILogger<ClusterConnectionRetry> logger) : IClientConnectionRetryFilter
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetry(logger, exception.GetType().Name, Delay.TotalSeconds);
        await Task.Delay(Delay, cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Cluster not reachable ({Reason}); retrying in {Seconds} s")]
    private static partial void LogRetry(ILogger logger, string reason, double seconds);
}
