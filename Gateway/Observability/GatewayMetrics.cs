using System.Diagnostics.Metrics;

namespace Gateway.Observability;

/// <summary>
/// The gateway's control-plane instruments (meter <see cref="MeterName"/>): WHIP/WHEP offer latency and sessions
/// opened. Recorded once per HTTP request, never per packet. Exported as Prometheus by <see cref="MetricsHosting"/>.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Rtc.Gateway";

    // Offers wait on grain calls and a node: most take 10-500 ms; the top buckets catch a loaded or failing cluster.
    private static readonly double[] OfferBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _offerDuration;
    private readonly Counter<long> _sessionsOpened;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _offerDuration = meter.CreateHistogram<double>("rtc.gateway.offer.duration", "s",
            "Time to answer a WHIP or WHEP offer, by endpoint and HTTP status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = OfferBuckets });
        _sessionsOpened = meter.CreateCounter<long>("rtc.gateway.joins", "{session}",
            "Sessions opened through WHIP (publish) or WHEP (subscribe): each is a join of the room.");
    }

    /// <param name="endpoint">"whip" or "whep".</param>
    public void OfferAnswered(string endpoint, int status, TimeSpan elapsed)
    {
        _offerDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("status", status));
        if (status == StatusCodes.Status201Created)
            _sessionsOpened.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
    }
}
