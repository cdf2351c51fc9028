using System.Diagnostics;
using Gateway.Api;

namespace Gateway.Observability;

/// <summary>
/// Times a WHIP or WHEP offer from the first filter to its result, refusals included (their status is the
/// problem's). Outermost filter of the /whip and /whep groups, so auth and error translation are inside the measure;
/// only POSTs (offers) are measured.
/// </summary>
public sealed class OfferMetricsFilter(GatewayMetrics metrics, string endpoint) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!HttpMethods.IsPost(context.HttpContext.Request.Method))
            return await next(context);
        long start = Stopwatch.GetTimestamp();
        int status = StatusCodes.Status500InternalServerError;
        try
        {
            var result = await next(context);
            status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : context.HttpContext.Response.StatusCode;
            return result;
        }
        catch (ApiProblem problem)
        {
            status = problem.Status;
            throw;
        }
        finally
        {
            metrics.OfferAnswered(endpoint, status, Stopwatch.GetElapsedTime(start));
        }
    }
}
