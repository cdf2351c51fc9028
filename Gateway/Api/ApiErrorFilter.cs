using Grains.Interfaces.Rooms;

namespace Gateway.Api;

/// <summary>
/// Outermost filter of every /v1 endpoint: turns refusals into RFC 9457 problems with the right status,
/// and anything unexpected into a bare 500 whose details stay in the log, never in the response.
/// </summary>
public sealed partial class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiProblem p)
        {
            return Problems.Create(p.Status, p.Message, p.Code);
        }
        catch (RoomException e)
        {
            var p = ApiProblem.From(e);
            return Problems.Create(p.Status, p.Message, p.Code);
        }
        catch (BadHttpRequestException e)
        {
            // Raised by the server while reading the body (e.g. over its size limit, client sent garbage).
            return Problems.Create(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is too large." : "The request could not be read.");
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads the answer.
            return Results.Empty;
        }
        catch (TimeoutException e)
        {
            LogClusterTimeout(logger, context.HttpContext.Request.Path, e);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "The cluster did not answer in time.");
        }
        catch (Exception e)
        {
            LogUnexpected(logger, context.HttpContext.Request.Method, context.HttpContext.Request.Path, e);
            return Problems.Create(StatusCodes.Status500InternalServerError, "An unexpected error occurred.");
        }
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "Unexpected error handling {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Cluster call timed out handling {Path}")]
    private static partial void LogClusterTimeout(ILogger logger, string path, Exception exception);
}
