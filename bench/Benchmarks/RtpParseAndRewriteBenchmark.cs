using BenchmarkDotNet.Attributes;
using MediaPlane.Rtp;

namespace Benchmarks;

/// <summary>An SFU forwarding step on a 1,200-byte packet: parse, find the TWCC extension, rewrite SSRC/seq/ts.</summary>
[MemoryDiagnoser]
public class RtpParseAndRewriteBenchmark
{
    private readonly byte[] _packet = new byte[1200];
    private ushort _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var writer = new RtpPacketWriter(_packet);
        writer.TryBegin(false, 96, 1, 90000, 0xdeadbeef, default, RtpExtensionForm.OneByte);
        writer.TryAddExtension(3, [1, 2, 3]);
        writer.TryAddExtension(5, [0, 1]);
        writer.TryFinish(new byte[1200 - 24], 0, out _);
    }

    [Benchmark]
    public int ParseAndRewrite()
    {
        var span = _packet.AsSpan();
        if (!RtpPacketReader.TryParse(span, out var packet, out _) || !packet.TryFindExtension(5, out int offset, out int length))
            return -1;
        _sequence++;
        RtpHeaderRewriter.TrySetSsrc(span, 0x12345678);
        RtpHeaderRewriter.TrySetSequenceNumber(span, _sequence);
        RtpHeaderRewriter.TrySetTimestamp(span, packet.Timestamp + 3000);
        span[offset] = (byte)(_sequence >> 8);
        span[offset + 1] = (byte)_sequence;
        return packet.Payload.Length + length;
    }
}
