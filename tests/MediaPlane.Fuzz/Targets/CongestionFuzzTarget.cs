using System.Buffers.Binary;
using MediaPlane.Congestion;
using MediaPlane.Rtcp;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// Congestion control on hostile input. The input is (a) read as a subscriber's transport-cc packet and fed
/// to a send-side estimator whose history holds sequence numbers 0-299: it must not throw and the estimate
/// stays within its bounds; and (b) read as (sequence number, arrival delta) pairs fed to a feedback
/// generator: every feedback it builds must parse, fit 1200 bytes and report only what was recorded.
/// </summary>
public sealed class CongestionFuzzTarget : IFuzzTarget
{
    private readonly TwccPacketResult[] _results = new TwccPacketResult[1024];
    private readonly BandwidthEstimatorOptions _options = new() { MaxFeedbackStatuses = 1024 };

    public string Name => "congestion";

    public void Run(ReadOnlySpan<byte> input)
    {
        var options = _options;
        var history = new SentPacketHistory(1024);
        for (int i = 0; i < 300; i++)
            history.RecordNext(i * 1000L, 1200);
        var estimator = new SendSideBandwidthEstimator(history, options);
        estimator.TryOnTransportFeedback(input, 400_000);
        estimator.OnReceiverReport(input.IsEmpty ? (byte)0 : input[0], 500_000);
        FuzzCheck.That(estimator.BitsPerSecond >= options.MinBitsPerSecond && estimator.BitsPerSecond <= options.MaxBitsPerSecond,
            "estimate within bounds");

        var generator = new TransportFeedbackGenerator(1, 2, new TransportFeedbackOptions { Capacity = 256 });
        var recorded = new HashSet<ushort>();
        long time = 0;
        for (int i = 0; i + 4 <= input.Length; i += 4)
        {
            ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(input[i..]);
            time += BinaryPrimitives.ReadInt16BigEndian(input[(i + 2)..]) * 37L; // µs, may step back
            generator.OnPacket(sequence, time);
            recorded.Add(sequence);
        }
        Span<byte> packet = stackalloc byte[1500];
        var results = _results;
        int built = 0;
        while (generator.TryBuildFeedback(time, packet, out int written))
        {
            FuzzCheck.That(++built < 10_000, "the generator runs out of pending statuses");
            FuzzCheck.That(written <= 1200, "feedback fits the size limit");
            FuzzCheck.That(RtcpTransportFeedback.TryParse(packet[..written], out var feedback, out _)
                           && feedback.TryGetPacketResults(results, out int count), "generated feedback parses");
            for (int k = 0; k < feedback.PacketStatusCount; k++)
                FuzzCheck.That(results[k].Status == TwccStatus.NotReceived || recorded.Contains(results[k].SequenceNumber),
                    "only recorded packets are reported received");
        }
    }
}
