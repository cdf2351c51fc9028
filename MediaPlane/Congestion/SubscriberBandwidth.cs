namespace MediaPlane.Congestion;

/// <summary>
/// The send-side estimate of one subscriber's downlink: every RTP packet sent to it gets the next transport-wide
/// sequence number and is recorded (send time, size) in a <see cref="SentPacketHistory"/>; the subscriber's
/// transport-cc feedback and receiver reports feed a <see cref="SendSideBandwidthEstimator"/>.
/// <para><b>Threads.</b> A subscriber's tracks may come from producers owned by different receive loops, and its
/// feedback arrives on its own loop, so this state has several writers. They are serialised by the subscriber
/// session's send lock, which every send already holds for SRTP protection (one SRTP context per direction): no
/// lock is added to the hot path. Only <see cref="BitsPerSecond"/> and the counters are read without it.</para>
/// </summary>
public sealed class SubscriberBandwidth
{
    /// <summary>
    /// Packets remembered: 2 s at 1,000 packets/s, far past the 50-250 ms a browser takes to report them, in 48 KiB
    /// per subscriber (the history's default 8,192 would pin 192 KiB each).
    /// </summary>
    public const int HistoryCapacity = 2048;

    private readonly SentPacketHistory _history = new(HistoryCapacity);
    private readonly SendSideBandwidthEstimator _estimator;
    private long _bitsPerSecond;
    private long _feedbackPackets;
    private long _packetsNumbered;

    public SubscriberBandwidth(BandwidthEstimatorOptions? options = null)
    {
        _estimator = new SendSideBandwidthEstimator(_history, options);
        _bitsPerSecond = _estimator.BitsPerSecond;
    }

    /// <summary>The current estimate, bits per second (any thread).</summary>
    public long BitsPerSecond => Volatile.Read(ref _bitsPerSecond);

    /// <summary>transport-cc feedback packets that parsed and were fed to the estimator (any thread).</summary>
    public long FeedbackPackets => Volatile.Read(ref _feedbackPackets);

    /// <summary>Packets given a transport-wide sequence number (any thread).</summary>
    public long PacketsNumbered => Volatile.Read(ref _packetsNumbered);

    /// <summary>Loss fraction of the last feedback or report interval (under the send lock).</summary>
    internal double LossFraction => _estimator.LossFraction;

    /// <summary>Under the send lock: the number the next packet carries.</summary>
    internal ushort NextSequenceNumber => _history.NextSequenceNumber;

    /// <summary>Under the send lock: the packet numbered <paramref name="sequenceNumber"/> leaves now.</summary>
    internal void OnSent(ushort sequenceNumber, long sendMicros, int sizeBytes, int probeClusterId = 0)
    {
        _history.Record(sequenceNumber, sendMicros, sizeBytes, probeClusterId);
        Volatile.Write(ref _packetsNumbered, _packetsNumbered + 1);
    }

    /// <summary>Under the send lock: a probe cluster's packets follow (<see cref="SendSideBandwidthEstimator.StartProbeCluster"/>).</summary>
    internal void StartProbeCluster(int clusterId, int packetCount) => _estimator.StartProbeCluster(clusterId, packetCount);

    /// <summary>Under the send lock: one RTPFB FMT 15 packet from the subscriber. False when it does not parse.</summary>
    internal bool OnTransportFeedback(ReadOnlySpan<byte> rtcpPacket, long nowMicros)
    {
        if (!_estimator.TryOnTransportFeedback(rtcpPacket, nowMicros))
            return false;
        Volatile.Write(ref _feedbackPackets, _feedbackPackets + 1);
        Volatile.Write(ref _bitsPerSecond, _estimator.BitsPerSecond);
        return true;
    }

    /// <summary>
    /// Under the send lock: a receiver report's worst fraction lost over our streams, and the round trip it implies
    /// (RFC 3550 §6.4.1, from LSR/DLSR; null when the report carries none).
    /// </summary>
    internal void OnReceiverReport(byte fractionLost, long? roundTripMicros, long nowMicros)
    {
        if (roundTripMicros is { } rtt)
            _estimator.OnRoundTripTime(rtt);
        _estimator.OnReceiverReport(fractionLost, nowMicros);
        Volatile.Write(ref _bitsPerSecond, _estimator.BitsPerSecond);
    }
}
