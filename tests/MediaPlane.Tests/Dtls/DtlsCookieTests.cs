using System.Collections.Concurrent;
using MediaPlane.Dtls;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Dtls;

/// <summary>Issue 20 item 5: the DTLS server proves the client's address with a cookie (RFC 6347 §4.2.1) before any thread or key exchange.</summary>
public sealed class DtlsCookieTests
{
    private const byte HandshakeContentType = 22;
    private const byte HelloVerifyRequest = 3; // RFC 6347 §4.3.2 HandshakeType hello_verify_request
    private const int RecordHeaderLength = 13;
    private static readonly DtlsTransportOptions Cookies = new() { RequireCookie = true };

    [Fact]
    public async Task A_client_hello_without_our_cookie_gets_a_small_HelloVerifyRequest_and_starts_no_handshake_thread()
    {
        var sentByServer = new ConcurrentQueue<byte[]>();
        using var server = new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate, DtlsTestPair.ClientCertificate.Fingerprint,
            datagram => sentByServer.Enqueue(datagram.ToArray()), Cookies);
        var handshake = server.HandshakeAsync();
        // A client's first flight: what a spoofed source replays, or sends in the victim's name.
        var clientFlight = new ConcurrentQueue<byte[]>();
        using var client = new DtlsTransport(DtlsRole.Client, DtlsTestPair.ClientCertificate, DtlsTestPair.ServerCertificate.Fingerprint,
            datagram => clientFlight.Enqueue(datagram.ToArray()));
        _ = client.HandshakeAsync();
        await Poll.UntilAsync(() => !clientFlight.IsEmpty);
        clientFlight.TryDequeue(out var clientHello).Should().BeTrue();

        for (int i = 0; i < 3; i++)
            server.FeedDatagram(clientHello);
        await Poll.UntilAsync(() => sentByServer.Count >= 3);

        sentByServer.Should().HaveCount(3);
        sentByServer.Should().OnlyContain(d => d[0] == HandshakeContentType && d[RecordHeaderLength] == HelloVerifyRequest,
            "a ClientHello without our cookie is answered with HelloVerifyRequest only, not with the server's flight");
        sentByServer.Should().OnlyContain(d => d.Length <= clientHello!.Length, "the answer is no larger than the hello");
        server.HelloVerifyRequestsSent.Should().Be(3);
        server.HandshakeThreadStarted.Should().BeFalse();
        server.State.Should().Be(DtlsTransportState.Connecting);
        server.Close();
        (await handshake.WaitAsync(TimeSpan.FromSeconds(10))).Succeeded.Should().BeFalse();
    }

    [Fact]
    public async Task A_client_that_returns_the_cookie_completes_the_handshake()
    {
        using var pair = new DtlsTestPair(Cookies);

        var (server, client) = await pair.HandshakeAsync();

        server.Succeeded.Should().BeTrue(server.FailureReason);
        client.Succeeded.Should().BeTrue(client.FailureReason);
        pair.Server.HelloVerifyRequestsSent.Should().BeGreaterThanOrEqualTo(1, "the first hello carried no cookie");
        pair.Server.HandshakeThreadStarted.Should().BeTrue();
    }

    [Fact]
    public async Task A_server_that_never_gets_a_returned_cookie_times_out_without_a_thread()
    {
        using var server = new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate, DtlsTestPair.ClientCertificate.Fingerprint,
            _ => { }, Cookies with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });

        var result = await server.HandshakeAsync().WaitAsync(TimeSpan.FromSeconds(10));

        result.State.Should().Be(DtlsTransportState.Failed);
        result.FailureReason.Should().Contain("timed out");
        server.HandshakeThreadStarted.Should().BeFalse();
    }
}
