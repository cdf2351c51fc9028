namespace MediaPlane.Congestion;

/// <summary>
/// Throughput the receiver acknowledged: bytes of received packets over windows of arrival time, smoothed.
/// The rate controller decreases to a fraction of it on over-use, and never grows far above it.
/// Owner: its estimator.
/// </summary>
internal sealed class AckedBitrateMeter
{
    private const long WindowMicros = 250_000;
    private const double NewSampleWeight = 0.5;

    private long _windowStartMicros = long.MinValue;
    private long _latestArrivalMicros;
    private long _windowBytes;

    /// <summary>Bits per second, or 0 before the first full window.</summary>
    public long BitsPerSecond { get; private set; }

    public void OnPacket(long arrivalMicros, int sizeBytes)
    {
        if (_windowStartMicros == long.MinValue)
        {
            _windowStartMicros = _latestArrivalMicros = arrivalMicros;
        }
        else if (arrivalMicros > _latestArrivalMicros)
        {
            _latestArrivalMicros = arrivalMicros;
            long elapsed = arrivalMicros - _windowStartMicros;
            if (elapsed >= WindowMicros)
            {
                long sample = _windowBytes * 8 * 1_000_000 / elapsed;
                BitsPerSecond = BitsPerSecond == 0 ? sample : (long)(NewSampleWeight * sample + (1 - NewSampleWeight) * BitsPerSecond);
                _windowStartMicros = arrivalMicros;
                _windowBytes = 0;
            }
        }
        _windowBytes += sizeBytes;
    }
}
