using MediaPlane.Dtls;
using MediaPlane.Srtp;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Dtls;

public class DtlsTransportTests
{
    [Fact]
    public async Task In_memory_handshake_agrees_on_profile_and_keys()
    {
        using var pair = new DtlsTestPair();

        var (server, client) = await pair.HandshakeAsync();

        server.FailureReason.Should().BeNull();
        client.FailureReason.Should().BeNull();
        server.Succeeded.Should().BeTrue();
        client.Succeeded.Should().BeTrue();
        server.CipherSuite.Should().Be("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        client.CipherSuite.Should().Be(server.CipherSuite);

        var serverKeys = server.KeyingMaterial!;
        var clientKeys = client.KeyingMaterial!;
        serverKeys.Profile.Should().Be(SrtpProfile.AeadAes128Gcm);
        clientKeys.Profile.Should().Be(SrtpProfile.AeadAes128Gcm);
        clientKeys.ClientWriteKey.Should().Equal(serverKeys.ClientWriteKey).And.HaveCount(16);
        clientKeys.ServerWriteKey.Should().Equal(serverKeys.ServerWriteKey).And.HaveCount(16);
        clientKeys.ClientWriteSalt.Should().Equal(serverKeys.ClientWriteSalt).And.HaveCount(12);
        clientKeys.ServerWriteSalt.Should().Equal(serverKeys.ServerWriteSalt).And.HaveCount(12);
        clientKeys.ClientWriteKey.Should().NotEqual(clientKeys.ServerWriteKey);
        pair.Server.State.Should().Be(DtlsTransportState.Connected);
        pair.Client.State.Should().Be(DtlsTransportState.Connected);
        pair.Server.KeyingMaterial.Should().BeSameAs(serverKeys);
    }

    [Theory]
    [InlineData(new[] { SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes256Gcm }, new[] { SrtpProfile.AeadAes256Gcm, SrtpProfile.AesCm128HmacSha1_80 }, SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(new[] { SrtpProfile.AeadAes128Gcm, SrtpProfile.AeadAes256Gcm }, new[] { SrtpProfile.AeadAes256Gcm }, SrtpProfile.AeadAes256Gcm)]
    [InlineData(new[] { SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_32 }, new[] { SrtpProfile.AesCm128HmacSha1_32 }, SrtpProfile.AesCm128HmacSha1_32)]
    public async Task Server_picks_its_most_preferred_profile_among_the_offered(
        SrtpProfile[] serverOrder, SrtpProfile[] clientOffer, SrtpProfile expected)
    {
        using var pair = new DtlsTestPair(
            options: new DtlsTransportOptions { SrtpProfiles = serverOrder },
            clientOptions: new DtlsTransportOptions { SrtpProfiles = clientOffer });

        var (server, client) = await pair.HandshakeAsync();

        server.KeyingMaterial!.Profile.Should().Be(expected);
        client.KeyingMaterial!.Profile.Should().Be(expected);
        client.KeyingMaterial.ClientWriteKey.Should().Equal(server.KeyingMaterial.ClientWriteKey)
            .And.HaveCount(expected.MasterKeyLength());
        client.KeyingMaterial.ServerWriteSalt.Should().Equal(server.KeyingMaterial.ServerWriteSalt)
            .And.HaveCount(expected.MasterSaltLength());
    }

    [Fact]
    public async Task No_common_profile_fails_with_a_reason()
    {
        using var pair = new DtlsTestPair(
            options: new DtlsTransportOptions { SrtpProfiles = [SrtpProfile.AeadAes128Gcm] },
            clientOptions: new DtlsTransportOptions { SrtpProfiles = [SrtpProfile.AesCm128HmacSha1_80], HandshakeTimeout = TimeSpan.FromSeconds(5) });

        var (server, client) = await pair.HandshakeAsync();

        server.State.Should().Be(DtlsTransportState.Failed);
        server.FailureReason.Should().Contain("no common SRTP profile");
        client.State.Should().Be(DtlsTransportState.Failed);
        client.FailureReason.Should().Contain("handshake_failure");
    }

    [Fact]
    public async Task Server_rejects_client_certificate_that_does_not_match_the_sdp_fingerprint()
    {
        var wrong = DtlsCertificate.Generate("someone-else").Fingerprint;
        using var pair = new DtlsTestPair(serverExpects: wrong);

        var (server, client) = await pair.HandshakeAsync();

        server.State.Should().Be(DtlsTransportState.Failed);
        server.FailureReason.Should().Contain("client certificate fingerprint mismatch")
            .And.Contain(wrong.ToString())
            .And.Contain(DtlsTestPair.ClientCertificate.Fingerprint.ToString());
        pair.Server.FailureReason.Should().Be(server.FailureReason);
        client.State.Should().Be(DtlsTransportState.Failed);
        client.FailureReason.Should().Contain("bad_certificate");
        server.KeyingMaterial.Should().BeNull();
    }

    [Fact]
    public async Task Client_rejects_server_certificate_that_does_not_match_the_sdp_fingerprint()
    {
        var wrong = DtlsCertificate.Generate("impostor").Fingerprint;
        using var pair = new DtlsTestPair(clientExpects: wrong);

        var (server, client) = await pair.HandshakeAsync();

        client.State.Should().Be(DtlsTransportState.Failed);
        client.FailureReason.Should().StartWith("server certificate fingerprint mismatch");
        server.State.Should().Be(DtlsTransportState.Failed);
        server.FailureReason.Should().Contain("bad_certificate");
        client.KeyingMaterial.Should().BeNull();
    }

    [Fact]
    public async Task Handshake_times_out_when_the_peer_never_answers()
    {
        // Warm BouncyCastle's code up first so that a loaded machine still sends the ClientHello early.
        using (var warm = new DtlsTestPair())
            (await warm.HandshakeAsync()).Client.Succeeded.Should().BeTrue();
        var options = new DtlsTransportOptions { HandshakeTimeout = TimeSpan.FromSeconds(2), InitialRetransmitTimeout = TimeSpan.FromMilliseconds(100) };
        int sent = 0;
        using var client = new DtlsTransport(DtlsRole.Client, DtlsTestPair.ClientCertificate,
            DtlsTestPair.ServerCertificate.Fingerprint, _ => Interlocked.Increment(ref sent), options);
        var states = new List<DtlsTransportState>();
        client.StateChanged += (_, s) => { lock (states) states.Add(s); };

        var result = await client.HandshakeAsync();

        result.State.Should().Be(DtlsTransportState.Failed);
        result.FailureReason.Should().Be("DTLS handshake timed out after 2 s");
        result.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1900)).And.BeLessThan(TimeSpan.FromSeconds(8));
        // The ClientHello was retransmitted (100, 200, 400, 800 ms back-off) before giving up.
        sent.Should().BeGreaterThanOrEqualTo(2);
        client.State.Should().Be(DtlsTransportState.Failed);
        lock (states)
            states.Should().Equal(DtlsTransportState.Connecting, DtlsTransportState.Failed);
    }

    [Fact]
    public async Task Server_times_out_when_no_client_hello_arrives()
    {
        using var server = new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate,
            DtlsTestPair.ClientCertificate.Fingerprint, _ => { },
            new DtlsTransportOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });

        var result = await server.HandshakeAsync();

        result.State.Should().Be(DtlsTransportState.Failed);
        result.FailureReason.Should().Contain("timed out");
    }

    [Fact]
    public async Task Handshake_survives_loss_of_the_first_flights()
    {
        int clientDatagrams = 0;
        var options = new DtlsTransportOptions { InitialRetransmitTimeout = TimeSpan.FromMilliseconds(50) };
        // Drop the first two datagrams from the client (ClientHello and its first retransmission).
        using var pair = new DtlsTestPair(options, clientToServerFilter: _ => Interlocked.Increment(ref clientDatagrams) > 2);

        var (server, client) = await pair.HandshakeAsync();

        server.Succeeded.Should().BeTrue(server.FailureReason);
        client.Succeeded.Should().BeTrue(client.FailureReason);
        clientDatagrams.Should().BeGreaterThan(3);
    }

    [Fact]
    public async Task Connected_server_retransmits_its_final_flight_when_the_client_repeats_its_own()
    {
        // Drop the server's ChangeCipherSpec and epoch-1 Finished once. The server has already finished
        // its handshake; only the post-handshake drain can answer the client's retransmitted flight.
        int dropped = 0;
        var options = new DtlsTransportOptions { InitialRetransmitTimeout = TimeSpan.FromMilliseconds(100) };
        using var pair = new DtlsTestPair(options, serverToClientFilter: datagram =>
        {
            var bytes = datagram.Span;
            bool finalFlight = bytes[0] == 20 || (bytes[0] == 22 && bytes[3] == 0 && bytes[4] == 1);
            if (finalFlight && dropped < 2)
            {
                dropped++;
                return false;
            }
            return true;
        });

        var (server, client) = await pair.HandshakeAsync();

        dropped.Should().Be(2);
        server.Succeeded.Should().BeTrue(server.FailureReason);
        client.Succeeded.Should().BeTrue(client.FailureReason);
        client.KeyingMaterial!.ServerWriteKey.Should().Equal(server.KeyingMaterial!.ServerWriteKey);
    }

    [Fact]
    public async Task Datagrams_fed_before_HandshakeAsync_are_kept_for_the_handshake()
    {
        // The SFU may create the server transport when the first ClientHello arrives and start it after.
        using var pair = new DtlsTestPair();
        var client = pair.Client.HandshakeAsync();
        await Poll.UntilAsync(() => pair.Server.DroppedDatagrams == 0 && HasQueued(pair.Server));
        pair.Server.State.Should().Be(DtlsTransportState.New);

        var server = await pair.Server.HandshakeAsync();

        server.Succeeded.Should().BeTrue(server.FailureReason);
        (await client).Succeeded.Should().BeTrue();
    }

    private static bool HasQueued(DtlsTransport transport) =>
        ((QueuedDatagramTransport)typeof(DtlsTransport)
            .GetField("datagrams", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(transport)!).HasPending;

    [Fact]
    public async Task Small_datagram_limit_fragments_handshake_messages_and_still_succeeds()
    {
        // RFC 6347 §4.2.3: handshake messages larger than the path MTU are fragmented; the certificate
        // messages (~400 bytes) do not fit in 256-byte datagrams.
        int largest = 0;
        var options = new DtlsTransportOptions { MaxSendDatagramSize = 256 };
        using var pair = new DtlsTestPair(options, clientToServerFilter: datagram =>
        {
            InterlockedMax(ref largest, datagram.Length);
            return true;
        });

        var (server, client) = await pair.HandshakeAsync();

        server.Succeeded.Should().BeTrue(server.FailureReason);
        client.Succeeded.Should().BeTrue(client.FailureReason);
        largest.Should().BeLessThanOrEqualTo(256);
    }

    [Fact]
    public async Task Throwing_sender_counts_as_loss_and_retransmission_recovers()
    {
        int calls = 0;
        DtlsTransport? server = null;
        var options = new DtlsTransportOptions { InitialRetransmitTimeout = TimeSpan.FromMilliseconds(50) };
        using var client = new DtlsTransport(DtlsRole.Client, DtlsTestPair.ClientCertificate, DtlsTestPair.ServerCertificate.Fingerprint,
            datagram =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                    throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NoBufferSpaceAvailable);
                server!.FeedDatagram(datagram);
            }, options);
        server = new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate, DtlsTestPair.ClientCertificate.Fingerprint,
            datagram => client.FeedDatagram(datagram), options);
        using var _ = server;

        var serverTask = server.HandshakeAsync();
        var result = await client.HandshakeAsync();

        result.Succeeded.Should().BeTrue(result.FailureReason);
        (await serverTask).Succeeded.Should().BeTrue();
        calls.Should().BeGreaterThan(2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [Fact]
    public async Task Caller_cancellation_fails_the_handshake_with_a_reason()
    {
        using var client = new DtlsTransport(DtlsRole.Client, DtlsTestPair.ClientCertificate,
            DtlsTestPair.ServerCertificate.Fingerprint, _ => { });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var result = await client.HandshakeAsync(cts.Token);

        result.State.Should().Be(DtlsTransportState.Failed);
        result.FailureReason.Should().Be("handshake cancelled by the caller");
    }

    [Fact]
    public async Task Close_sends_close_notify_and_the_peer_raises_Closed()
    {
        using var pair = new DtlsTestPair();
        await pair.HandshakeAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.Server.Closed += (_, _) => closed.TrySetResult();

        pair.Client.Close();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        pair.Server.State.Should().Be(DtlsTransportState.Closed);
        pair.Server.FailureReason.Should().Be("peer sent close_notify");
        pair.Client.State.Should().Be(DtlsTransportState.Closed);
        pair.Server.KeyingMaterial.Should().BeNull();
    }

    [Fact]
    public async Task HandshakeAsync_is_idempotent_and_Close_is_safe_to_repeat()
    {
        using var pair = new DtlsTestPair();
        var first = pair.Server.HandshakeAsync();
        pair.Server.HandshakeAsync().Should().BeSameAs(first);
        await pair.Client.HandshakeAsync();
        (await first).Succeeded.Should().BeTrue();

        pair.Server.Close();
        pair.Server.Close();
        pair.Server.State.Should().Be(DtlsTransportState.Closed);
        pair.Server.FeedDatagram(new byte[] { 22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }).Should().BeFalse();
    }

    [Fact]
    public async Task Closing_during_the_handshake_ends_it_as_Closed()
    {
        using var server = new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate,
            DtlsTestPair.ClientCertificate.Fingerprint, _ => { });
        var pending = server.HandshakeAsync();

        server.Close();
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(5));

        result.State.Should().Be(DtlsTransportState.Closed);
        server.State.Should().Be(DtlsTransportState.Closed);
    }
}
