using Grains.Interfaces.Rooms;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api;

/// <summary>/healthz and /readyz for load balancers and orchestrators; no token needed.</summary>
public static partial class HealthEndpoints
{
    /// <summary>How long /readyz waits for the cluster before calling it unreachable.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(3);

    public static void Map(IEndpointRouteBuilder app)
    {
        // Liveness: the process serves HTTP. Deliberately no cluster call, so a cluster outage does not
        // get healthy gateways restarted.
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthDto("alive")))
            .WithName("Healthz").Produces<HealthDto>().AllowAnonymous();
        app.MapGet("/readyz", ReadyAsync)
            .WithName("Readyz").Produces<HealthDto>().ProducesProblem(503).AllowAnonymous();
    }

    /// <summary>Readiness: one cheap grain call (a one-entry directory page) answers within the timeout.</summary>
    public static async Task<IResult> ReadyAsync([FromServices] IGrainFactory grains, [FromServices] ILoggerFactory loggers, CancellationToken aborted)
    {
        try
        {
            await grains.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key)
                .ListAsync("", 1, includeClosed: false).WaitAsync(ReadyTimeout, aborted);
            return TypedResults.Ok(new HealthDto("ready"));
        }
        catch (Exception e) when (!aborted.IsCancellationRequested)
        {
            LogNotReady(loggers.CreateLogger("Gateway.Readiness"), e.GetType().Name);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "The cluster is not reachable.");
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Readiness check failed: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string reason);
}
