namespace MediaPlane.Congestion;

/// <summary>
/// The delay-based half of the estimator: packet groups → trendline → over-use detector → AIMD, plus the
/// acknowledged throughput. Fed (send time, arrival time, size) per received packet, then updated once
/// per feedback. Used by <see cref="SendSideBandwidthEstimator"/> (send times from our history) and by
/// <see cref="AbsSendTimeReceiveEstimator"/> (send times from abs-send-time). Owner: its estimator.
/// </summary>
internal sealed class DelayBasedEstimator
{
    private readonly PacketGroupDelay _groups = new();
    private readonly TrendlineEstimator _trendline = new();
    private readonly OveruseDetector _detector = new();
    private readonly AckedBitrateMeter _acked = new();
    private readonly AimdRateController _rate;
    private bool _overuseInBatch;

    public DelayBasedEstimator(long initialBitsPerSecond, long minBitsPerSecond, long maxBitsPerSecond) =>
        _rate = new AimdRateController(initialBitsPerSecond, minBitsPerSecond, maxBitsPerSecond);

    public long BitsPerSecond => _rate.BitsPerSecond;

    public long AckedBitsPerSecond => _acked.BitsPerSecond;

    public BandwidthUsage Usage => _detector.State;

    public void OnPacket(long sendMicros, long arrivalMicros, int sizeBytes)
    {
        _acked.OnPacket(arrivalMicros, sizeBytes);
        if (!_groups.TryAdd(sendMicros, arrivalMicros, out long sendDelta, out long arrivalDelta))
            return;
        _trendline.Update(sendDelta, arrivalDelta, arrivalMicros);
        if (_detector.Detect(_trendline.ModifiedTrend, sendDelta, arrivalMicros) == BandwidthUsage.Overusing)
            _overuseInBatch = true;
    }

    /// <summary>Runs the rate controller once per feedback; an over-use anywhere in the batch counts.</summary>
    public long Update(long roundTripMicros, long nowMicros)
    {
        var usage = _overuseInBatch ? BandwidthUsage.Overusing : _detector.State;
        _overuseInBatch = false;
        return _rate.Update(usage, _acked.BitsPerSecond, roundTripMicros, nowMicros);
    }

    public void SetFromProbe(long bitsPerSecond, long nowMicros) => _rate.Set(bitsPerSecond, nowMicros);
}
