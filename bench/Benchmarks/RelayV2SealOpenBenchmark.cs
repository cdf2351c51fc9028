using BenchmarkDotNet.Attributes;
using MediaPlane.Relay.Protocol;

namespace Benchmarks;

/// <summary>
/// Relay v2 per 1,200-byte RTP packet: the origin seals (AES-128-GCM, header as AAD); the next hop opens
/// it (address check, key id, replay window, AEAD); a middle hop also reseals it for the link after.
/// Opening needs a fresh sequence number each time (the replay window), so it is measured with its seal.
/// </summary>
[MemoryDiagnoser]
public class RelayV2SealOpenBenchmark
{
    private readonly byte[] _rtp = new byte[1200];
    private readonly byte[] _buffer = new byte[1400];
    private readonly RelayPeerTable _peers = new();
    private RelaySendLink _sender = null!;
    private RelaySendLink _nextHop = null!;
    private MediaPlane.Transport.EndpointKey _from;
    private RelayV2Header _header;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_rtp);
        _rtp[0] = 0x80;
        var keys = new RelayKeyDerivation("benchmark-relay-cluster-key-0123"u8);
        _sender = new RelaySendLink(keys.DeriveLinkKey(1, 2, 1), 1);
        _nextHop = new RelaySendLink(keys.DeriveLinkKey(2, 3, 1), 1);
        var endpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.77.0.11"), 7400);
        _peers.Replace([KeyValuePair.Create(endpoint, new RelayReceiveLink(keys.DeriveLinkKey(1, 2, 1)))]);
        _from = MediaPlane.Transport.EndpointKey.From(endpoint);
        _header = new RelayV2Header(RelayV2PacketType.Media, RelayV2Header.DefaultHopLimit, 0, 0x1111, 0x2222, 1, 3);
    }

    [Benchmark]
    public int Seal()
    {
        _sender.TrySeal(_buffer, _header, _rtp, out int written);
        return written;
    }

    [Benchmark]
    public bool SealAndOpen()
    {
        _sender.TrySeal(_buffer, _header, _rtp, out int written);
        return _peers.TryOpen(_from, _buffer.AsSpan(0, written), out _, out _);
    }

    [Benchmark]
    public bool SealOpenAndReseal()
    {
        _sender.TrySeal(_buffer, _header, _rtp, out int written);
        var datagram = _buffer.AsSpan(0, written);
        return _peers.TryOpen(_from, datagram, out _, out _) && _nextHop.TryResealForNextHop(datagram);
    }
}
