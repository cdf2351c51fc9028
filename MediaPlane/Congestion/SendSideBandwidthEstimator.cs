using MediaPlane.Rtcp;

namespace MediaPlane.Congestion;

/// <summary>
/// Send-side bandwidth estimate for one subscriber, in the spirit of Google Congestion Control
/// (draft-ietf-rmcat-gcc-02), written for this SFU.
/// <para><b>The Congestion folder.</b> Toward publishers: <see cref="TransportFeedbackGenerator"/> turns
/// arrivals (transport-wide sequence number, µs) into RTCP transport-cc feedback every 50 ms, and
/// <see cref="AbsSendTimeReceiveEstimator"/> + <see cref="RembScheduler"/> give a REMB where only
/// abs-send-time was negotiated. Toward subscribers: <see cref="SentPacketHistory"/> assigns our
/// transport-wide sequence numbers and remembers send time and size; this class pairs the subscriber's
/// feedback with them and estimates the path; <see cref="SimulcastLayerSelector"/> turns the estimate into a
/// layer with hysteresis. Inside: <see cref="PacketGroupDelay"/> (5 ms send bursts) →
/// <see cref="TrendlineEstimator"/> (delay slope) → <see cref="OveruseDetector"/> (adaptive threshold) →
/// <see cref="AimdRateController"/>; <see cref="AckedBitrateMeter"/>; <see cref="LossBasedController"/>.</para>
/// <para><b>Threads.</b> Everything here for one session belongs to the loop thread that owns that session
/// (its packets and its RTCP); nothing is locked, nothing allocates after construction. Time is µs on that
/// loop's monotonic clock, passed in by the caller, so tests drive it with simulated time.</para>
/// <para><b>Cadence.</b> Per packet: <see cref="SentPacketHistory.RecordNext"/> (send side) or
/// <see cref="TransportFeedbackGenerator.OnPacket"/> (receive side). Per feedback (every 50-100 ms from a
/// browser): <see cref="TryOnTransportFeedback"/>. Per receiver report: <see cref="OnReceiverReport"/>.
/// After either, read <see cref="BitsPerSecond"/>.</para>
/// </summary>
public sealed class SendSideBandwidthEstimator
{
    private readonly BandwidthEstimatorOptions _options;
    private readonly SentPacketHistory _history;
    private readonly DelayBasedEstimator _delay;
    private readonly LossBasedController _loss = new();
    private readonly ProbeClusterMeter _probe = new();
    private readonly TwccPacketResult[] _results;
    private double _target;
    private long _roundTripMicros;
    private long _lastDecreaseMicros = long.MinValue;

    public SendSideBandwidthEstimator(SentPacketHistory history, BandwidthEstimatorOptions? options = null)
    {
        _options = options ?? new BandwidthEstimatorOptions();
        _history = history;
        _delay = new DelayBasedEstimator(_options.InitialBitsPerSecond, _options.MinBitsPerSecond, _options.MaxBitsPerSecond);
        _results = new TwccPacketResult[_options.MaxFeedbackStatuses];
        _target = _delay.BitsPerSecond;
        _roundTripMicros = _options.InitialRoundTripMicros;
    }

    /// <summary>The estimate: min(delay-based, loss-based), in bits per second.</summary>
    public long BitsPerSecond => (long)_target;

    /// <summary>The delay-based half alone.</summary>
    public long DelayBasedBitsPerSecond => _delay.BitsPerSecond;

    /// <summary>Throughput the subscriber acknowledged lately.</summary>
    public long AckedBitsPerSecond => _delay.AckedBitsPerSecond;

    public BandwidthUsage Usage => _delay.Usage;

    /// <summary>Loss fraction of the last loss report interval (feedback or RR).</summary>
    public double LossFraction => _loss.LastLossFraction;

    /// <summary>The caller's RTT measurement (RTCP RR LSR/DLSR); sets how fast the controller reacts.</summary>
    public void OnRoundTripTime(long roundTripMicros) => _roundTripMicros = Math.Max(roundTripMicros, 1_000);

    /// <summary>Parses one transport-cc packet (RTPFB FMT 15) and feeds it. False if it does not parse.</summary>
    public bool TryOnTransportFeedback(ReadOnlySpan<byte> rtcpPacket, long nowMicros)
    {
        if (!RtcpTransportFeedback.TryParse(rtcpPacket, out var feedback, out _)
            || !feedback.TryGetPacketResults(_results, out int count))
            return false;
        OnTransportFeedback(_results.AsSpan(0, count), nowMicros);
        return true;
    }

    /// <summary>
    /// One feedback's results (sequence order, receive times on the subscriber's clock). Packets not in the
    /// history are ignored; a packet reported twice (re-reports after reordering) counts once.
    /// </summary>
    public void OnTransportFeedback(ReadOnlySpan<TwccPacketResult> results, long nowMicros)
    {
        int lost = 0, received = 0;
        long probeResult = 0;
        foreach (var result in results)
        {
            ref var slot = ref _history.Find(result.SequenceNumber);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot) || slot.State == SentPacketHistory.PacketState.Acknowledged)
                continue;
            // Loss of packets sent before the last decrease was caused by the old rate and already acted on.
            bool countsForLoss = slot.SendMicros >= _lastDecreaseMicros;
            if (result.Status == TwccStatus.NotReceived)
            {
                if (slot.State == SentPacketHistory.PacketState.Sent)
                {
                    slot.State = SentPacketHistory.PacketState.ReportedLost;
                    lost += countsForLoss ? 1 : 0;
                }
                continue;
            }
            if (slot.State == SentPacketHistory.PacketState.ReportedLost && countsForLoss)
                lost--; // it arrived after all (reordering)
            slot.State = SentPacketHistory.PacketState.Acknowledged;
            received += countsForLoss ? 1 : 0;
            _delay.OnPacket(slot.SendMicros, result.ReceiveTimeMicros, slot.SizeBytes);
            if (slot.ProbeClusterId != 0 && _probe.TryAdd(slot.ProbeClusterId, slot.SendMicros, result.ReceiveTimeMicros, slot.SizeBytes, out long probed))
                probeResult = probed;
        }
        long delayBased = _delay.Update(_roundTripMicros, nowMicros);
        double target = lost + received > 0 ? _loss.OnFeedback(Math.Max(lost, 0), received, _target, _roundTripMicros, nowMicros) : _target;
        SetTarget(target, delayBased, nowMicros);
        if (probeResult > 0)
            OnProbeResult(probeResult, nowMicros);
    }

    /// <summary>
    /// Probing hook, measured here: the caller is about to send a probe cluster of <paramref name="packetCount"/>
    /// packets paced faster than the estimate, every packet of the cluster's window (media and the padding or
    /// RTX added to reach the probe rate) recorded in the history with <paramref name="clusterId"/> (non-zero,
    /// new per cluster). When their feedback is in, the cluster's
    /// rate goes to <see cref="OnProbeResult"/>. One cluster at a time; a new one replaces the old.
    /// </summary>
    public void StartProbeCluster(int clusterId, int packetCount) => _probe.Start(clusterId, packetCount);

    /// <summary>A receiver report block's fraction lost for this subscriber's stream.</summary>
    public void OnReceiverReport(byte fractionLost, long nowMicros) =>
        SetTarget(_loss.OnReceiverReport(fractionLost, _target, _roundTripMicros, nowMicros), _delay.BitsPerSecond, nowMicros);

    /// <summary>
    /// Probing hook: the rate a probe cluster (padding or RTX sent faster than the estimate) was received at.
    /// Above the estimate it raises both halves at once instead of waiting for the slow increase.
    /// </summary>
    public void OnProbeResult(long receivedBitsPerSecond, long nowMicros)
    {
        if (receivedBitsPerSecond <= _delay.BitsPerSecond)
            return;
        _delay.SetFromProbe(receivedBitsPerSecond, nowMicros);
        SetTarget(Math.Max(_target, receivedBitsPerSecond), _delay.BitsPerSecond, nowMicros);
    }

    private void SetTarget(double lossBased, long delayBased, long nowMicros)
    {
        double target = Math.Clamp(Math.Min(lossBased, delayBased), _options.MinBitsPerSecond, _options.MaxBitsPerSecond);
        if (target < _target * 0.99)
            _lastDecreaseMicros = nowMicros;
        _target = target;
    }
}
