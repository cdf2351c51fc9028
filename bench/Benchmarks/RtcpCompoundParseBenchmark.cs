using BenchmarkDotNet.Attributes;
using MediaPlane.Rtcp;

namespace Benchmarks;

/// <summary>Walk a compound RR + SDES + REMB + NACK + TWCC datagram and parse each packet with its reader.</summary>
[MemoryDiagnoser]
public class RtcpCompoundParseBenchmark
{
    private byte[] _compound = [];
    private readonly TwccPacketResult[] _results = new TwccPacketResult[64];
    private readonly ushort[] _lost = new ushort[64];

    [GlobalSetup]
    public void Setup()
    {
        var buffer = new byte[1200];
        int n = 0;
        RtcpReceiverReport.TryWrite(buffer.AsSpan(n), 1, [new RtcpReportBlock(2, 3, 4, 5, 6, 7, 8)], out int w);
        n += w;
        RtcpSourceDescription.TryWriteCname(buffer.AsSpan(n), 1, "abcdefghijklmnop"u8, out w);
        n += w;
        RtcpRemb.TryWrite(buffer.AsSpan(n), 1, 2_500_000, [2], out w);
        n += w;
        RtcpGenericNack.TryWrite(buffer.AsSpan(n), 1, 2, [100, 101, 105, 130], out w);
        n += w;
        var arrivals = Enumerable.Range(0, 40).Where(i => i % 9 != 4).Select(i => new TwccArrival((ushort)(1000 + i), 5_000_000 + i * 800)).ToArray();
        RtcpTransportFeedback.TryWrite(buffer.AsSpan(n), 1, 2, 0, arrivals, out w);
        n += w;
        _compound = buffer.AsSpan(0, n).ToArray();
    }

    [Benchmark]
    public long ParseCompound()
    {
        long sum = 0;
        var reader = new RtcpCompoundReader(_compound);
        while (reader.TryReadNext(out var packet))
        {
            switch (packet.PacketType)
            {
                case RtcpPacketType.ReceiverReport when RtcpReceiverReport.TryParse(packet.Bytes, out var rr, out _):
                    for (int i = 0; i < rr.ReportCount; i++)
                        sum += rr.GetReportBlock(i).Jitter;
                    break;
                case RtcpPacketType.SourceDescription when RtcpSourceDescription.TryParse(packet.Bytes, out var sdes, out _):
                    if (sdes.TryGetCname(out _, out var cname))
                        sum += cname.Length;
                    break;
                case RtcpPacketType.PayloadSpecificFeedback when RtcpRemb.TryParse(packet.Bytes, out var remb, out _):
                    sum += (long)remb.Bitrate;
                    break;
                case RtcpPacketType.TransportFeedback when packet.Count == RtcpGenericNack.Format && RtcpGenericNack.TryParse(packet.Bytes, out var nack, out _):
                    sum += nack.CopyLostSequenceNumbers(_lost);
                    break;
                case RtcpPacketType.TransportFeedback when RtcpTransportFeedback.TryParse(packet.Bytes, out var twcc, out _):
                    if (twcc.TryGetPacketResults(_results, out int count))
                        sum += count + _results[count - 1].ReceiveTimeMicros;
                    break;
            }
        }
        return sum;
    }
}
