namespace MediaPlane.Congestion;

/// <summary>
/// Delay trend over the last groups (the arrival-time filter of draft-ietf-rmcat-gcc-02 §5.3, done as a
/// least-squares slope of the smoothed accumulated delay over a window, as deployed senders do): a
/// positive slope means a queue is building. Owner: its <see cref="DelayBasedEstimator"/>; no allocation
/// after construction.
/// </summary>
internal sealed class TrendlineEstimator
{
    private const int WindowSize = 20;
    private const double Smoothing = 0.9;
    private const double Gain = 4.0;
    private const int MaxDeltaCount = 60;

    private readonly double[] _timesMs = new double[WindowSize];
    private readonly double[] _delaysMs = new double[WindowSize];
    private int _count;
    private int _next;
    private double _accumulatedMs;
    private double _smoothedMs;
    private long _firstArrivalMicros = long.MinValue;
    private int _deltaCount;
    private double _slope;

    /// <summary>The trend scaled for the detector: slope × min(deltas, 60) × gain (ms per ms, dimensionless).</summary>
    public double ModifiedTrend { get; private set; }

    /// <summary>The raw slope of the last full window.</summary>
    public double Slope => _slope;

    public void Update(long sendDeltaMicros, long arrivalDeltaMicros, long arrivalMicros)
    {
        if (_firstArrivalMicros == long.MinValue)
            _firstArrivalMicros = arrivalMicros;
        _deltaCount = Math.Min(_deltaCount + 1, MaxDeltaCount);
        _accumulatedMs += (arrivalDeltaMicros - sendDeltaMicros) / 1000.0;
        _smoothedMs = Smoothing * _smoothedMs + (1 - Smoothing) * _accumulatedMs;
        _timesMs[_next] = (arrivalMicros - _firstArrivalMicros) / 1000.0;
        _delaysMs[_next] = _smoothedMs;
        _next = (_next + 1) % WindowSize;
        _count = Math.Min(_count + 1, WindowSize);
        if (_count == WindowSize && TryFitSlope(out double slope))
            _slope = slope;
        ModifiedTrend = _slope * _deltaCount * Gain;
    }

    public void Reset()
    {
        _count = _next = _deltaCount = 0;
        _accumulatedMs = _smoothedMs = _slope = 0;
        _firstArrivalMicros = long.MinValue;
        ModifiedTrend = 0;
    }

    private bool TryFitSlope(out double slope)
    {
        double meanTime = 0, meanDelay = 0;
        for (int i = 0; i < _count; i++)
        {
            meanTime += _timesMs[i];
            meanDelay += _delaysMs[i];
        }
        meanTime /= _count;
        meanDelay /= _count;
        double numerator = 0, denominator = 0;
        for (int i = 0; i < _count; i++)
        {
            double dt = _timesMs[i] - meanTime;
            numerator += dt * (_delaysMs[i] - meanDelay);
            denominator += dt * dt;
        }
        slope = denominator > 0 ? numerator / denominator : 0;
        return denominator > 0;
    }
}
