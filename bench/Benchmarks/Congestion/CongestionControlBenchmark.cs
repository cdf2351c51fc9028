using BenchmarkDotNet.Attributes;
using MediaPlane.Congestion;
using MediaPlane.Rtp;

namespace Benchmarks.Congestion;

/// <summary>
/// Per-packet and per-feedback cost of congestion control, in memory: a publisher's packet recorded
/// (transport-wide sequence number read from the RTP header + OnPacket), one feedback built for 50 packets
/// (a 50 ms window at ~1,000 packets/s), and the send side's per-feedback cost (50 packets in the history,
/// the feedback parsed and run through the estimator). [MemoryDiagnoser] shows 0 B for each.
/// </summary>
[MemoryDiagnoser]
public class CongestionControlBenchmark
{
    private const int PacketsPerFeedback = 50;
    private readonly byte[] _rtp = new byte[1200];
    private readonly byte[] _feedback = new byte[1500];
    private int _rtpLength;
    private int _sequenceOffset;
    private TransportFeedbackGenerator _generator = null!;
    private SentPacketHistory _history = null!;
    private SendSideBandwidthEstimator _estimator = null!;
    private byte[] _subscriberFeedback = [];
    private long _now;
    private ushort _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var writer = new RtpPacketWriter(_rtp);
        writer.TryBegin(false, 96, 1, 3000, 0x1234, [], RtpExtensionForm.OneByte);
        writer.TryAddExtension(3, [0, 0, 0]);
        writer.TryAddExtension(5, [0, 0]);
        writer.TryFinish(new byte[1100], 0, out _rtpLength);
        RtpPacketReader.TryParse(_rtp.AsSpan(0, _rtpLength), out var parsed, out _);
        parsed.TryFindExtension(5, out _sequenceOffset, out _);
        _generator = new TransportFeedbackGenerator(1, 0x1234);
        _history = new SentPacketHistory();
        _estimator = new SendSideBandwidthEstimator(_history);
        // One subscriber feedback for sequence numbers 0..49 (one lost), as a browser would send it.
        var generator = new TransportFeedbackGenerator(2, 0x5678);
        for (int i = 0; i < PacketsPerFeedback; i++)
            if (i != 17)
                generator.OnPacket((ushort)i, 1_000_000 + i * 1000);
        generator.TryBuildFeedback(0, _feedback, out int written);
        _subscriberFeedback = _feedback.AsSpan(0, written).ToArray();
    }

    /// <summary>Receive side, per packet: read the transport-wide sequence number and record the arrival.</summary>
    [Benchmark]
    public void RecordPacket()
    {
        _now += 1000;
        var packet = _rtp.AsSpan(0, _rtpLength);
        TransportSequenceNumberExtension.TryWrite(packet[_sequenceOffset..], _sequence++);
        RtpPacketReader.TryParse(packet, out var reader, out _);
        TransportSequenceNumberExtension.TryRead(reader, 5, out ushort sequence);
        _generator.OnPacket(sequence, _now);
    }

    /// <summary>Receive side, per feedback: 50 packets recorded and one feedback packet built.</summary>
    [Benchmark(OperationsPerInvoke = PacketsPerFeedback)]
    public int RecordAndBuildFeedback()
    {
        for (int i = 0; i < PacketsPerFeedback; i++)
        {
            _now += 1000;
            if (i != 17)
                _generator.OnPacket(_sequence, _now);
            _sequence++;
        }
        _generator.TryBuildFeedback(_now, _feedback, out int written);
        return written;
    }

    /// <summary>Send side, per feedback: the 50 packets it covers sent (history), then the feedback parsed and estimated.</summary>
    [Benchmark]
    public long EstimatorPerFeedback()
    {
        for (int i = 0; i < PacketsPerFeedback; i++)
            _history.Record((ushort)i, _now + i * 1000, 1200);
        _now += PacketsPerFeedback * 1000;
        _estimator.TryOnTransportFeedback(_subscriberFeedback, _now);
        return _estimator.BitsPerSecond;
    }
}
