using BenchmarkDotNet.Attributes;
using MediaPlane.Dtls;

namespace Benchmarks.Dtls;

/// <summary>
/// DTLS costs, in memory without sockets:
///  - Handshake: a full DTLS 1.2 + use_srtp handshake between our client and server transports wired back to
///    back (ECDHE P-256/X25519 + ECDSA P-256 both ways, two dedicated handshake threads). Wall time per pair;
///    the CPU is spread over both threads.
///  - RecordHeader / DatagramFilter: the per-datagram junk filter the demultiplexer can run (must be 0 B).
/// </summary>
[MemoryDiagnoser]
public class DtlsBenchmarks
{
    private static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate("server");
    private static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate("client");

    // Two records in one datagram: a 12-byte handshake record (epoch 0) and a 26-byte protected alert (epoch 1).
    private readonly byte[] datagram = Convert.FromHexString(
        "16FEFD0000000000000000000C" + new string('A', 24) +
        "15FEFD0001000000000001001A" + new string('B', 52));

    [GlobalSetup]
    public void Setup()
    {
        if (!DtlsRecordHeader.IsWellFormedDatagram(datagram, out var error))
            throw new InvalidOperationException($"Benchmark datagram is malformed: {error}");
    }

    [Benchmark]
    public async Task<bool> Handshake()
    {
        DtlsTransport? server = null;
        using var client = new DtlsTransport(DtlsRole.Client, ClientCertificate, ServerCertificate.Fingerprint,
            d => server!.FeedDatagram(d));
        server = new DtlsTransport(DtlsRole.Server, ServerCertificate, ClientCertificate.Fingerprint,
            d => client.FeedDatagram(d));
        using var _ = server;
        var serverTask = server.HandshakeAsync();
        var result = await client.HandshakeAsync();
        return result.Succeeded && (await serverTask).Succeeded;
    }

    [Benchmark]
    public bool DatagramFilter() => DtlsRecordHeader.IsWellFormedDatagram(datagram, out _);

    [Benchmark]
    public long RecordHeader() => DtlsRecordHeader.TryParse(datagram, out var header) ? header.SequenceNumber : -1;

    [Benchmark]
    public bool ParseFingerprint() => DtlsFingerprint.TryParse(ServerCertificate.Fingerprint.ToString(), out _);

    [Benchmark]
    public DtlsCertificate GenerateCertificate() => DtlsCertificate.Generate();
}
