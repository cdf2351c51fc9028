using BenchmarkDotNet.Attributes;
using MediaPlane.Relay;

namespace Benchmarks;

/// <summary>What the relay does per packet: the origin wraps and signs a 1,200-byte RTP packet; the importer parses and verifies it.</summary>
[MemoryDiagnoser]
public class RelayWriteAndVerifyBenchmark
{
    private readonly RelayAuthenticator _authenticator = new("benchmark-relay-cluster-key-0123"u8);
    private readonly byte[] _rtp = new byte[1200];
    private readonly byte[] _buffer = new byte[2048];
    private RelayHeader _header;
    private int _length;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_rtp);
        _rtp[0] = 0x80;
        _header = new RelayHeader(RelayPacketKind.Rtp, RelayHeader.DefaultHopLimit, 1, RelayIds.Hash("room"), RelayIds.Hash("stream"),
            RelayIds.Hash("node-a"), RelayIds.Hash("node-b"));
        RelayPacketWriter.TryWrite(_buffer, _header, _rtp, _authenticator, out _length);
    }

    [Benchmark]
    public int Write()
    {
        RelayPacketWriter.TryWrite(_buffer, _header, _rtp, _authenticator, out int written);
        return written;
    }

    [Benchmark]
    public bool ParseAndVerify() =>
        RelayPacketReader.TryParse(_buffer.AsSpan(0, _length), out var packet, out _) && _authenticator.Verify(packet);
}
