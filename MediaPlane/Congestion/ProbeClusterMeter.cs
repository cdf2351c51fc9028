namespace MediaPlane.Congestion;

/// <summary>
/// Measures one probe cluster (packets sent faster than the estimate to see whether the path has room):
/// from the feedback of its packets, the rate they were sent at and the rate they arrived at (bytes after the
/// first over the first-to-last span of each). The result is the smaller: a path without room spreads the
/// cluster out on arrival. Done once 80 % of the cluster (at least 5 packets) is acknowledged.
/// Owner: its <see cref="SendSideBandwidthEstimator"/>.
/// </summary>
internal sealed class ProbeClusterMeter
{
    private const double CompleteFraction = 0.8;
    private const int MinPackets = 5;

    private int _clusterId;
    private int _needed;
    private int _received;
    private long _firstSend, _lastSend, _firstArrival, _lastArrival;
    private long _bytes;
    private int _firstSize;

    public void Start(int clusterId, int packetCount)
    {
        _clusterId = clusterId;
        _needed = Math.Max(MinPackets, (int)Math.Ceiling(packetCount * CompleteFraction));
        _received = 0;
        _bytes = 0;
    }

    /// <summary>Adds an acknowledged packet; true with the cluster's rate when this packet completes it.</summary>
    public bool TryAdd(int clusterId, long sendMicros, long arrivalMicros, int sizeBytes, out long bitsPerSecond)
    {
        bitsPerSecond = 0;
        if (clusterId == 0 || clusterId != _clusterId)
            return false;
        if (_received == 0)
        {
            _firstSend = _lastSend = sendMicros;
            _firstArrival = _lastArrival = arrivalMicros;
            _firstSize = sizeBytes;
        }
        else
        {
            _firstSend = Math.Min(_firstSend, sendMicros);
            _lastSend = Math.Max(_lastSend, sendMicros);
            _firstArrival = Math.Min(_firstArrival, arrivalMicros);
            _lastArrival = Math.Max(_lastArrival, arrivalMicros);
        }
        _bytes += sizeBytes;
        if (++_received < _needed)
            return false;
        _clusterId = 0;
        long sendSpan = _lastSend - _firstSend, arrivalSpan = _lastArrival - _firstArrival;
        if (sendSpan <= 0 || arrivalSpan <= 0)
            return false;
        long bits = (_bytes - _firstSize) * 8;
        bitsPerSecond = Math.Min(bits * 1_000_000 / sendSpan, bits * 1_000_000 / arrivalSpan);
        return true;
    }
}
