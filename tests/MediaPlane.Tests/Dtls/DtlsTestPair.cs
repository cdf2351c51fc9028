using MediaPlane.Dtls;

namespace MediaPlane.Tests.Dtls;

/// <summary>A client and a server transport wired back to back in memory: each one's sender feeds the other.</summary>
internal sealed class DtlsTestPair : IDisposable
{
    // Certificate generation costs a few ms; share across tests.
    public static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate("server");
    public static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate("client");

    public DtlsTestPair(
        DtlsTransportOptions? options = null,
        DtlsTransportOptions? clientOptions = null,
        DtlsFingerprint? serverExpects = null,
        DtlsFingerprint? clientExpects = null,
        Func<ReadOnlyMemory<byte>, bool>? clientToServerFilter = null,
        Func<ReadOnlyMemory<byte>, bool>? serverToClientFilter = null)
    {
        Server = new DtlsTransport(DtlsRole.Server, ServerCertificate, serverExpects ?? ClientCertificate.Fingerprint,
            datagram =>
            {
                if (serverToClientFilter is null || serverToClientFilter(datagram.ToArray()))
                    Client!.FeedDatagram(datagram);
            },
            options);
        Client = new DtlsTransport(DtlsRole.Client, ClientCertificate, clientExpects ?? ServerCertificate.Fingerprint,
            datagram =>
            {
                if (clientToServerFilter is null || clientToServerFilter(datagram.ToArray()))
                    Server.FeedDatagram(datagram);
            },
            clientOptions ?? options);
    }

    public DtlsTransport Server { get; }

    public DtlsTransport Client { get; }

    public async Task<(DtlsResult Server, DtlsResult Client)> HandshakeAsync()
    {
        var server = Server.HandshakeAsync();
        var client = Client.HandshakeAsync();
        return (await server, await client);
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
