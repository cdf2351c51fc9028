namespace MediaPlane.Congestion;

/// <summary>
/// The loss-based half (draft-ietf-rmcat-gcc-02 §6): over each report interval, loss above 10 % cuts the
/// target by half the loss fraction (at most once per 300 ms + RTT), loss under 2 % lets it grow 8 % per
/// second, in between it holds. It acts on the estimator's current target, which is then capped by the
/// delay-based estimate, so the output is the smaller of the two. Owner: its estimator.
/// </summary>
internal sealed class LossBasedController
{
    private const double HighLoss = 0.10;
    private const double LowLoss = 0.02;
    private const double IncreasePerSecond = 1.08;
    private const long DecreaseIntervalMicros = 300_000;
    // Fewer packets than this in a report say little about loss: wait for more.
    private const int MinPacketsPerReport = 20;
    private const long MaxReportIntervalMicros = 1_000_000;

    private int _lost;
    private int _total;
    private long _intervalStartMicros = long.MinValue;
    private long _lastIncreaseMicros = long.MinValue;
    private long _lastDecreaseMicros = long.MinValue;

    /// <summary>Loss fraction of the last completed report interval.</summary>
    public double LastLossFraction { get; private set; }

    /// <summary>Counts packets of one transport-cc feedback; applies the rule once enough are counted.</summary>
    public double OnFeedback(int lost, int received, double target, long roundTripMicros, long nowMicros)
    {
        if (_intervalStartMicros == long.MinValue)
            _intervalStartMicros = nowMicros;
        _lost += lost;
        _total += lost + received;
        if (_total < MinPacketsPerReport && nowMicros - _intervalStartMicros < MaxReportIntervalMicros)
            return target;
        double fraction = _total == 0 ? 0 : (double)_lost / _total;
        _lost = _total = 0;
        _intervalStartMicros = nowMicros;
        return Apply(fraction, target, roundTripMicros, nowMicros);
    }

    /// <summary>A receiver report's fraction lost (RFC 3550 §6.4.1, /256) applied directly.</summary>
    public double OnReceiverReport(byte fractionLost, double target, long roundTripMicros, long nowMicros) =>
        Apply(fractionLost / 256.0, target, roundTripMicros, nowMicros);

    private double Apply(double fraction, double target, long roundTripMicros, long nowMicros)
    {
        LastLossFraction = fraction;
        if (fraction > HighLoss)
        {
            _lastIncreaseMicros = nowMicros;
            if (_lastDecreaseMicros != long.MinValue && nowMicros - _lastDecreaseMicros < DecreaseIntervalMicros + roundTripMicros)
                return target;
            _lastDecreaseMicros = nowMicros;
            return target * (1 - 0.5 * fraction);
        }
        if (fraction < LowLoss)
        {
            long elapsed = _lastIncreaseMicros == long.MinValue ? 0 : Math.Min(nowMicros - _lastIncreaseMicros, 1_000_000);
            _lastIncreaseMicros = nowMicros;
            return target * Math.Pow(IncreasePerSecond, elapsed / 1e6) + 1000 * elapsed / 1e6;
        }
        _lastIncreaseMicros = nowMicros;
        return target;
    }
}
