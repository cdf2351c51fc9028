namespace MediaPlane.Congestion;

/// <summary>
/// Additive-increase / multiplicative-decrease rate control (draft-ietf-rmcat-gcc-02 §5.5). States:
/// Hold, Increase, Decrease; over-use → Decrease, under-use → Hold (let the queue drain), normal →
/// Increase. Far from the last congestion point the rate grows 8 % per second; near it (within three
/// standard deviations of the throughput seen at past decreases) by about one packet per response time.
/// A decrease sets the rate to 0.85 × the acknowledged throughput, at most once per response time.
/// Owner: its estimator.
/// </summary>
internal sealed class AimdRateController
{
    private const double DecreaseFactor = 0.85;
    private const double MultiplicativeIncreasePerSecond = 1.08;
    private const double PacketBits = 1200 * 8;
    private const long ProcessingMicros = 100_000;

    private readonly long _minBitsPerSecond;
    private readonly long _maxBitsPerSecond;
    private State _state = State.Increase;
    private long _lastUpdateMicros = long.MinValue;
    private long _lastDecreaseMicros = long.MinValue;
    // Throughput at past decreases (kbit/s) and its variance normalised by the mean, as GCC tracks it.
    private double _capacityKbps = -1;
    private double _capacityVarianceNormalised = 0.4;

    public AimdRateController(long initialBitsPerSecond, long minBitsPerSecond, long maxBitsPerSecond)
    {
        _minBitsPerSecond = minBitsPerSecond;
        _maxBitsPerSecond = maxBitsPerSecond;
        BitsPerSecond = Math.Clamp(initialBitsPerSecond, minBitsPerSecond, maxBitsPerSecond);
    }

    public long BitsPerSecond { get; private set; }

    /// <summary>True after a decrease, until the rate grows past the congestion point again.</summary>
    public bool NearCapacity => _capacityKbps > 0;

    public long Update(BandwidthUsage usage, long ackedBitsPerSecond, long roundTripMicros, long nowMicros)
    {
        _state = (usage, _state) switch
        {
            (BandwidthUsage.Overusing, _) => State.Decrease,
            (BandwidthUsage.Underusing, _) => State.Hold,
            (BandwidthUsage.Normal, State.Hold) => State.Increase,
            (BandwidthUsage.Normal, State.Decrease) => State.Hold,
            _ => _state,
        };
        long elapsed = _lastUpdateMicros == long.MinValue ? 0 : Math.Min(nowMicros - _lastUpdateMicros, 1_000_000);
        _lastUpdateMicros = nowMicros;
        long responseMicros = roundTripMicros + ProcessingMicros;
        double ackedKbps = ackedBitsPerSecond / 1000.0;
        if (_capacityKbps > 0 && ackedBitsPerSecond > 0 && Math.Abs(ackedKbps - _capacityKbps) > 3 * CapacityDeviationKbps)
            _capacityKbps = -1; // the path changed: forget the old congestion point
        double rate = BitsPerSecond;
        switch (_state)
        {
            case State.Increase when elapsed > 0:
                double increase = _capacityKbps > 0
                    ? Math.Max(1000, PacketBits * elapsed / responseMicros)
                    : Math.Max(1000, rate * (Math.Pow(MultiplicativeIncreasePerSecond, elapsed / 1e6) - 1));
                double next = rate + increase;
                // Do not run ahead of what actually gets through (an application-limited sender stays put).
                if (ackedBitsPerSecond > 0)
                {
                    double ceiling = 1.5 * ackedBitsPerSecond + 10_000;
                    if (next > ceiling)
                        next = Math.Max(ceiling, rate);
                }
                rate = next;
                break;
            case State.Decrease:
                if (_lastDecreaseMicros == long.MinValue || nowMicros - _lastDecreaseMicros >= responseMicros)
                {
                    rate = ackedBitsPerSecond > 0 ? Math.Min(rate, DecreaseFactor * ackedBitsPerSecond) : DecreaseFactor * rate;
                    if (ackedBitsPerSecond > 0)
                        UpdateCapacity(ackedKbps);
                    _lastDecreaseMicros = nowMicros;
                }
                _state = State.Hold;
                break;
        }
        BitsPerSecond = Math.Clamp((long)rate, _minBitsPerSecond, _maxBitsPerSecond);
        return BitsPerSecond;
    }

    /// <summary>Sets the rate from outside (a probe result) and forgets the old congestion point.</summary>
    public void Set(long bitsPerSecond, long nowMicros)
    {
        BitsPerSecond = Math.Clamp(bitsPerSecond, _minBitsPerSecond, _maxBitsPerSecond);
        _capacityKbps = -1;
        _state = State.Increase;
        _lastUpdateMicros = nowMicros;
    }

    private double CapacityDeviationKbps => Math.Sqrt(_capacityVarianceNormalised * Math.Max(_capacityKbps, 1));

    private void UpdateCapacity(double ackedKbps)
    {
        const double alpha = 0.05;
        if (_capacityKbps <= 0)
        {
            _capacityKbps = ackedKbps;
            return;
        }
        _capacityKbps = (1 - alpha) * _capacityKbps + alpha * ackedKbps;
        double error = _capacityKbps - ackedKbps;
        _capacityVarianceNormalised = Math.Clamp((1 - alpha) * _capacityVarianceNormalised + alpha * error * error / Math.Max(_capacityKbps, 1), 0.4, 2.5);
    }

    private enum State : byte
    {
        Hold,
        Increase,
        Decrease,
    }
}
