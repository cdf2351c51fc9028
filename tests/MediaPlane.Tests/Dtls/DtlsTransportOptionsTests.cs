using MediaPlane.Dtls;

namespace MediaPlane.Tests.Dtls;

public class DtlsTransportOptionsTests
{
    public static TheoryData<DtlsTransportOptions> Invalid() =>
    [
        new DtlsTransportOptions { HandshakeTimeout = TimeSpan.Zero },
        new DtlsTransportOptions { InitialRetransmitTimeout = TimeSpan.Zero },
        new DtlsTransportOptions { ReceiveQueueCapacity = 0 },
        new DtlsTransportOptions { MaxSendDatagramSize = 100 },
        new DtlsTransportOptions { SrtpProfiles = [] },
        new DtlsTransportOptions { SrtpProfiles = [MediaPlane.Srtp.SrtpProfile.AeadAes128Gcm, MediaPlane.Srtp.SrtpProfile.AeadAes128Gcm] },
        new DtlsTransportOptions { SrtpProfiles = [(MediaPlane.Srtp.SrtpProfile)0x0005] },
    ];

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_are_rejected_at_construction(DtlsTransportOptions options)
    {
        var create = () => new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate,
            DtlsTestPair.ClientCertificate.Fingerprint, _ => { }, options);
        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Remote_fingerprints_are_required()
    {
        var create = () => new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate,
            Array.Empty<DtlsFingerprint>(), _ => { });
        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task Any_of_several_remote_fingerprints_may_match()
    {
        // RFC 8122 §5: an SDP may carry several fingerprints (e.g. sha-256 and sha-384 of the same certificate).
        var other = DtlsCertificate.Generate("unrelated").Fingerprint;
        DtlsTransport? client = null;
        using var server = new DtlsTransport(DtlsRole.Server, DtlsTestPair.ServerCertificate,
            [other, DtlsTestPair.ClientCertificate.ComputeFingerprint(DtlsHashFunction.Sha384)], d => client!.FeedDatagram(d));
        client = new DtlsTransport(DtlsRole.Client, DtlsTestPair.ClientCertificate,
            DtlsTestPair.ServerCertificate.ComputeFingerprint(DtlsHashFunction.Sha512), d => server.FeedDatagram(d));
        using var _ = client;

        var serverTask = server.HandshakeAsync();
        (await client.HandshakeAsync()).Succeeded.Should().BeTrue();
        (await serverTask).Succeeded.Should().BeTrue();
    }
}
