namespace MediaPlane.Congestion;

/// <summary>
/// Over-use detector with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4): over-use when the
/// modified trend stays above the threshold for 10 ms and over two updates while still rising; under-use
/// below minus the threshold. The threshold follows |trend| slowly upward (k_u) and faster downward (k_d),
/// so the detector neither starves against loss-based flows nor fires on noise. Owner: its estimator.
/// </summary>
internal sealed class OveruseDetector
{
    private const double ThresholdGainUp = 0.0087;
    private const double ThresholdGainDown = 0.039;
    private const double InitialThreshold = 12.5;
    private const double MinThreshold = 6;
    private const double MaxThreshold = 600;
    // A jump this far past the threshold is a spike (e.g. a route change); it does not move the threshold.
    private const double SpikeMargin = 15;
    private const double OverusingTimeMs = 10;

    private double _threshold = InitialThreshold;
    private double _overusingMs = -1;
    private int _overuseCount;
    private double _previousTrend;
    private long _lastUpdateMicros = long.MinValue;

    public BandwidthUsage State { get; private set; }

    public double Threshold => _threshold;

    public BandwidthUsage Detect(double modifiedTrend, long sendDeltaMicros, long nowMicros)
    {
        double deltaMs = sendDeltaMicros / 1000.0;
        if (modifiedTrend > _threshold)
        {
            _overusingMs = _overusingMs < 0 ? deltaMs / 2 : _overusingMs + deltaMs;
            _overuseCount++;
            if (_overusingMs > OverusingTimeMs && _overuseCount > 1 && modifiedTrend >= _previousTrend)
            {
                _overusingMs = 0;
                _overuseCount = 0;
                State = BandwidthUsage.Overusing;
            }
        }
        else
        {
            _overusingMs = -1;
            _overuseCount = 0;
            State = modifiedTrend < -_threshold ? BandwidthUsage.Underusing : BandwidthUsage.Normal;
        }
        _previousTrend = modifiedTrend;
        AdaptThreshold(modifiedTrend, nowMicros);
        return State;
    }

    private void AdaptThreshold(double modifiedTrend, long nowMicros)
    {
        if (_lastUpdateMicros == long.MinValue)
            _lastUpdateMicros = nowMicros;
        double magnitude = Math.Abs(modifiedTrend);
        if (magnitude > _threshold + SpikeMargin)
        {
            _lastUpdateMicros = nowMicros;
            return;
        }
        double gain = magnitude < _threshold ? ThresholdGainDown : ThresholdGainUp;
        double elapsedMs = Math.Min((nowMicros - _lastUpdateMicros) / 1000.0, 100);
        _threshold = Math.Clamp(_threshold + gain * (magnitude - _threshold) * elapsedMs, MinThreshold, MaxThreshold);
        _lastUpdateMicros = nowMicros;
    }
}
