using System.Diagnostics.Metrics;

namespace Grains.Observability;

/// <summary>
/// Counts grain calls that end in an exception on this silo (meter <see cref="MeterName"/>), by grain interface,
/// method and exception type: a control-plane call, never per packet. Orleans' own meter has call counts and
/// latencies but not failures.
/// </summary>
public sealed class GrainCallMetrics : IIncomingGrainCallFilter
{
    public const string MeterName = "Rtc.Grains";

    private readonly Counter<long> _failures;

    public GrainCallMetrics(IMeterFactory meters) =>
        _failures = meters.Create(MeterName).CreateCounter<long>("rtc.grain.call.failures", "{call}",
            "Grain calls that threw, by interface, method and exception type.");

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e)
        {
            _failures.Add(1,
                new KeyValuePair<string, object?>("interface", context.InterfaceName),
                new KeyValuePair<string, object?>("method", context.MethodName),
                new KeyValuePair<string, object?>("exception", e.GetType().Name));
            throw;
        }
    }
}
