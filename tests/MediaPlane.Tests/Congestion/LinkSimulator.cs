using MediaPlane.Congestion;

namespace MediaPlane.Tests.Congestion;

/// <summary>
/// A deterministic path for the estimator tests, in simulated µs with 1 ms steps: a sender that sends
/// 1200-byte packets at min(estimate, application maximum), a bottleneck queue of a given rate (drop-tail
/// past <see cref="QueueLimitMicros"/> of queueing), propagation delay, optional extra delay and random loss,
/// a receiver with a real <see cref="TransportFeedbackGenerator"/>, and the feedback bytes carried back to a
/// real <see cref="SendSideBandwidthEstimator"/>. The traces are what a browser subscriber would send.
/// </summary>
internal sealed class LinkSimulator
{
    public const int PacketBytes = 1200;

    private readonly Random _random;
    private readonly Queue<(ushort Sequence, long Arrival)> _inFlight = new();
    private readonly Queue<(byte[] Packet, long Arrival)> _feedback = new();
    private readonly Queue<(long At, int Cluster)> _probes = new();
    private readonly TransportFeedbackGenerator _receiver = new(0x5EC0, 0x1234);
    private readonly byte[] _feedbackBuffer = new byte[1500];
    private long _nextSendMicros;
    private long _probeEndMicros;
    private int _probeClusterId;
    private long _lastDepartureMicros;
    private long _lastArrivalMicros;

    public LinkSimulator(BandwidthEstimatorOptions? options = null, int seed = 1)
    {
        _random = new Random(seed);
        Estimator = new SendSideBandwidthEstimator(History, options);
    }

    public SentPacketHistory History { get; } = new();

    public SendSideBandwidthEstimator Estimator { get; }

    public long NowMicros { get; private set; }

    public long CapacityBitsPerSecond { get; set; } = 2_000_000;

    public long ApplicationMaxBitsPerSecond { get; set; } = 2_500_000;

    public long PropagationMicros { get; set; } = 20_000;

    public long ExtraDelayMicros { get; set; }

    public double RandomLoss { get; set; }

    public long QueueLimitMicros { get; set; } = 500_000;

    /// <summary>Sender-side packets sent and lost (queue overflow or random), for the tests' bookkeeping.</summary>
    public int Sent { get; private set; }

    public int Lost { get; private set; }

    public long SendRateBitsPerSecond => Math.Min(Estimator.BitsPerSecond, ApplicationMaxBitsPerSecond);

    /// <summary>Runs for <paramref name="seconds"/> of simulated time, calling <paramref name="everyTenth"/> every 100 ms.</summary>
    public void Run(double seconds, Action<LinkSimulator>? everyTenth = null)
    {
        long end = NowMicros + (long)(seconds * 1_000_000);
        while (NowMicros < end)
        {
            NowMicros += 1000;
            Send();
            Deliver();
            if (everyTenth is not null && NowMicros % 100_000 == 0)
                everyTenth(this);
        }
    }

    /// <summary>
    /// A probe cluster the estimator measures itself, as a pacer sends one: for the cluster's window, media
    /// plus padding leave at <paramref name="bitsPerSecond"/>, every packet of the window marked with the
    /// cluster in the history (announced with StartProbeCluster); its rate comes from the feedback.
    /// </summary>
    public void ProbeThroughFeedback(long bitsPerSecond, int clusterId, int paddingPackets = 15)
    {
        long paddingRate = Math.Max(bitsPerSecond - SendRateBitsPerSecond, 50_000);
        long spacing = PacketBytes * 8_000_000L / paddingRate;
        _probeClusterId = clusterId;
        _probeEndMicros = NowMicros + paddingPackets * spacing;
        int mediaPackets = (int)(paddingPackets * spacing * SendRateBitsPerSecond / (PacketBytes * 8_000_000L));
        Estimator.StartProbeCluster(clusterId, paddingPackets + mediaPackets);
        long at = NowMicros;
        for (int i = 0; i < paddingPackets; i++, at += spacing)
            _probes.Enqueue((at, clusterId));
    }

    private void Send()
    {
        if (_nextSendMicros < NowMicros - 100_000)
            _nextSendMicros = NowMicros; // no bursts after a pause
        // Media and probe padding leave in send-time order, so the queue stays first in, first out.
        while (true)
        {
            if (_probes.Count > 0 && _probes.Peek().At <= Math.Min(_nextSendMicros, NowMicros))
            {
                var (at, cluster) = _probes.Dequeue();
                Enqueue(at, cluster);
                continue;
            }
            if (_nextSendMicros > NowMicros)
                break;
            Enqueue(_nextSendMicros, _nextSendMicros < _probeEndMicros ? _probeClusterId : 0);
            _nextSendMicros += PacketBytes * 8_000_000L / Math.Max(SendRateBitsPerSecond, 10_000);
        }
    }

    private void Enqueue(long sendMicros, int probeClusterId = 0)
    {
        ushort sequence = History.RecordNext(sendMicros, PacketBytes, probeClusterId);
        Sent++;
        long queueing = Math.Max(0, _lastDepartureMicros - sendMicros);
        if (queueing > QueueLimitMicros || (RandomLoss > 0 && _random.NextDouble() < RandomLoss))
        {
            Lost++;
            return;
        }
        long departure = Math.Max(sendMicros, _lastDepartureMicros) + PacketBytes * 8_000_000L / CapacityBitsPerSecond;
        _lastDepartureMicros = departure;
        long arrival = Math.Max(departure + PropagationMicros + ExtraDelayMicros, _lastArrivalMicros);
        _lastArrivalMicros = arrival;
        _inFlight.Enqueue((sequence, arrival));
    }

    private void Deliver()
    {
        while (_inFlight.Count > 0 && _inFlight.Peek().Arrival <= NowMicros)
        {
            var (sequence, arrival) = _inFlight.Dequeue();
            _receiver.OnPacket(sequence, arrival);
        }
        if (_receiver.IsFeedbackDue(NowMicros))
        {
            while (_receiver.TryBuildFeedback(NowMicros, _feedbackBuffer, out int written))
                _feedback.Enqueue((_feedbackBuffer.AsSpan(0, written).ToArray(), NowMicros + PropagationMicros));
        }
        while (_feedback.Count > 0 && _feedback.Peek().Arrival <= NowMicros)
        {
            var packet = _feedback.Dequeue().Packet;
            if (!Estimator.TryOnTransportFeedback(packet, NowMicros))
                throw new InvalidOperationException("the generator's feedback did not parse");
        }
    }
}
