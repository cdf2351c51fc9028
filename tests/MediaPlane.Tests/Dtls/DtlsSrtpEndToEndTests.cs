using System.Buffers.Binary;
using MediaPlane.Dtls;
using MediaPlane.Srtp;

namespace MediaPlane.Tests.Dtls;

/// <summary>
/// DTLS-SRTP end to end over real UDP sockets on 127.0.0.1: handshake, then SRTP protected by one side with
/// the exported keys and unprotected by the other, in both directions.
/// </summary>
public class DtlsSrtpEndToEndTests
{
    [Theory]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    [InlineData(SrtpProfile.AeadAes256Gcm)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_32)]
    public async Task Rtp_and_rtcp_protected_by_one_side_are_unprotected_by_the_other(SrtpProfile profile)
    {
        var options = new DtlsTransportOptions { SrtpProfiles = [profile] };
        await using var server = new UdpLoopbackPeer();
        await using var client = new UdpLoopbackPeer();
        server.Start(DtlsRole.Server, DtlsTestPair.ServerCertificate, DtlsTestPair.ClientCertificate.Fingerprint, client.LocalEndPoint, options);
        client.Start(DtlsRole.Client, DtlsTestPair.ClientCertificate, DtlsTestPair.ServerCertificate.Fingerprint, server.LocalEndPoint, options);

        var serverHandshake = server.Transport.HandshakeAsync();
        var clientResult = await client.Transport.HandshakeAsync();
        var serverResult = await serverHandshake;
        clientResult.Succeeded.Should().BeTrue(clientResult.FailureReason);
        serverResult.Succeeded.Should().BeTrue(serverResult.FailureReason);
        clientResult.KeyingMaterial!.Profile.Should().Be(profile);

        using var clientSrtp = SrtpContext.Create(clientResult.KeyingMaterial, localIsDtlsClient: true);
        using var serverSrtp = SrtpContext.Create(serverResult.KeyingMaterial!, localIsDtlsClient: false);

        for (ushort sequence = 1000; sequence < 1010; sequence++)
        {
            // Client -> server.
            var upstream = Rtp(sequence, ssrc: 0x1111_2222, payloadByte: (byte)sequence);
            await SendProtectedRtpAsync(clientSrtp, client, upstream);
            var received = await ReceiveAsync(server);
            serverSrtp.UnprotectRtp(received, received.Length, out int plainLength).Should().Be(SrtpError.None);
            received.AsSpan(0, plainLength).ToArray().Should().Equal(upstream);

            // Server -> client (what an SFU forwards to a subscriber).
            var downstream = Rtp(sequence, ssrc: 0x3333_4444, payloadByte: (byte)~sequence);
            await SendProtectedRtpAsync(serverSrtp, server, downstream);
            received = await ReceiveAsync(client);
            clientSrtp.UnprotectRtp(received, received.Length, out plainLength).Should().Be(SrtpError.None);
            received.AsSpan(0, plainLength).ToArray().Should().Equal(downstream);
        }

        // SRTCP: a receiver report from the client.
        var report = Rtcp(ssrc: 0x1111_2222);
        var buffer = new byte[report.Length + 64];
        report.CopyTo(buffer, 0);
        clientSrtp.TryProtectRtcp(buffer, report.Length, out int protectedRtcp).Should().BeTrue();
        client.SendRaw(buffer.AsSpan(0, protectedRtcp));
        var rtcp = await ReceiveAsync(server);
        serverSrtp.UnprotectRtcp(rtcp, rtcp.Length, out int plainRtcp).Should().Be(SrtpError.None);
        rtcp.AsSpan(0, plainRtcp).ToArray().Should().Equal(report);

        // Keys are direction-specific: the sender cannot unprotect its own packet with its inbound keys.
        var own = Rtp(2000, ssrc: 0x5555_6666, payloadByte: 7);
        var ownBuffer = new byte[own.Length + 64];
        own.CopyTo(ownBuffer, 0);
        clientSrtp.TryProtectRtp(ownBuffer, own.Length, out int ownLength).Should().BeTrue();
        clientSrtp.UnprotectRtp(ownBuffer, ownLength, out _).Should().Be(SrtpError.AuthFailed);
    }

    private static async Task SendProtectedRtpAsync(SrtpContext srtp, UdpLoopbackPeer from, byte[] plain)
    {
        var buffer = new byte[plain.Length + 64];
        plain.CopyTo(buffer, 0);
        srtp.TryProtectRtp(buffer, plain.Length, out int protectedLength).Should().BeTrue();
        protectedLength.Should().Be(plain.Length + srtp.Profile.RtpAuthTagLength());
        buffer.AsSpan(12, plain.Length - 12).SequenceEqual(plain.AsSpan(12)).Should().BeFalse("the payload is encrypted");
        from.SendRaw(buffer.AsSpan(0, protectedLength));
        await Task.CompletedTask;
    }

    private static async Task<byte[]> ReceiveAsync(UdpLoopbackPeer peer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await peer.Media.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Minimal RTP packet (RFC 3550 §5.1): V=2, PT=96, marker clear, 160-byte payload.</summary>
    private static byte[] Rtp(ushort sequence, uint ssrc, byte payloadByte)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet.AsSpan(12).Fill(payloadByte);
        return packet;
    }

    /// <summary>Empty RTCP receiver report (RFC 3550 §6.4.2): V=2, RC=0, PT=201, length 1.</summary>
    private static byte[] Rtcp(uint ssrc)
    {
        var packet = new byte[8];
        packet[0] = 0x80;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        return packet;
    }
}
