using MediaPlane.Dtls;

namespace MediaPlane.Tests.Dtls;

public class DtlsUdpLoopbackTests
{
    [Fact]
    public async Task Handshake_over_udp_loopback_agrees_on_profile_and_keys()
    {
        await using var server = new UdpLoopbackPeer();
        await using var client = new UdpLoopbackPeer();
        server.Start(DtlsRole.Server, DtlsTestPair.ServerCertificate, DtlsTestPair.ClientCertificate.Fingerprint, client.LocalEndPoint);
        client.Start(DtlsRole.Client, DtlsTestPair.ClientCertificate, DtlsTestPair.ServerCertificate.Fingerprint, server.LocalEndPoint);

        var serverHandshake = server.Transport.HandshakeAsync();
        var clientResult = await client.Transport.HandshakeAsync();
        var serverResult = await serverHandshake;

        serverResult.Succeeded.Should().BeTrue(serverResult.FailureReason);
        clientResult.Succeeded.Should().BeTrue(clientResult.FailureReason);
        clientResult.KeyingMaterial!.Profile.Should().Be(serverResult.KeyingMaterial!.Profile);
        clientResult.KeyingMaterial.ClientWriteKey.Should().Equal(serverResult.KeyingMaterial.ClientWriteKey);
        clientResult.KeyingMaterial.ServerWriteKey.Should().Equal(serverResult.KeyingMaterial.ServerWriteKey);
        clientResult.KeyingMaterial.ClientWriteSalt.Should().Equal(serverResult.KeyingMaterial.ClientWriteSalt);
        clientResult.KeyingMaterial.ServerWriteSalt.Should().Equal(serverResult.KeyingMaterial.ServerWriteSalt);
    }

    [Fact]
    public async Task Close_over_udp_reaches_the_peer()
    {
        await using var server = new UdpLoopbackPeer();
        await using var client = new UdpLoopbackPeer();
        server.Start(DtlsRole.Server, DtlsTestPair.ServerCertificate, DtlsTestPair.ClientCertificate.Fingerprint, client.LocalEndPoint);
        client.Start(DtlsRole.Client, DtlsTestPair.ClientCertificate, DtlsTestPair.ServerCertificate.Fingerprint, server.LocalEndPoint);
        var serverHandshake = server.Transport.HandshakeAsync();
        (await client.Transport.HandshakeAsync()).Succeeded.Should().BeTrue();
        (await serverHandshake).Succeeded.Should().BeTrue();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Transport.Closed += (_, _) => closed.TrySetResult();

        server.Transport.Close();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        client.Transport.State.Should().Be(DtlsTransportState.Closed);
    }
}
