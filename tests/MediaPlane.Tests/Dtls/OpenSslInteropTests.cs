using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MediaPlane.Dtls;
using MediaPlane.Srtp;
using Rtc.TestSupport;

namespace MediaPlane.Tests.Dtls;

/// <summary>
/// Interoperability with an independent DTLS-SRTP stack: OpenSSL 3's s_server and s_client over UDP on
/// 127.0.0.1 (the `openssl` CLI; libcrypto is already a dependency of the SRTP code). Both sides export
/// "EXTRACTOR-dtls_srtp" and the bytes must agree.
/// </summary>
public sealed class OpenSslInteropTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("dtls-interop-").FullName;
    private readonly List<Process> processes = [];

    [Theory]
    [InlineData("SRTP_AEAD_AES_128_GCM", SrtpProfile.AeadAes128Gcm)]
    [InlineData("SRTP_AES128_CM_SHA1_80", SrtpProfile.AesCm128HmacSha1_80)]
    public async Task Our_client_with_openssl_server(string opensslProfile, SrtpProfile expected)
    {
        var (certificate, key, fingerprint) = await CreateOpenSslCertificateAsync();
        int port = FreePorts.Udp();
        var server = Start("s_server", $"-dtls1_2 -accept 127.0.0.1:{port} -cert {certificate} -key {key} -Verify 1 " +
            $"-use_srtp {opensslProfile} -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen {ExporterLength(expected)} -naccept 1");
        await WaitForLineAsync(server, "ACCEPT");

        await using var client = new UdpLoopbackPeer();
        client.Start(DtlsRole.Client, DtlsTestPair.ClientCertificate, fingerprint, new IPEndPoint(IPAddress.Loopback, port));
        var result = await client.Transport.HandshakeAsync();

        result.Succeeded.Should().BeTrue(result.FailureReason);
        result.KeyingMaterial!.Profile.Should().Be(expected);
        var openSslKeys = await ReadKeyingMaterialAsync(server);
        openSslKeys.Should().Equal(Concatenate(result.KeyingMaterial));
    }

    [Theory]
    [InlineData("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", SrtpProfile.AeadAes128Gcm)]
    [InlineData("SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80", SrtpProfile.AesCm128HmacSha1_80)]
    public async Task Openssl_client_with_our_server(string opensslProfiles, SrtpProfile expected)
    {
        var (certificate, key, fingerprint) = await CreateOpenSslCertificateAsync();
        await using var server = new UdpLoopbackPeer();
        server.Start(DtlsRole.Server, DtlsTestPair.ServerCertificate, fingerprint, peer: null);
        var handshake = server.Transport.HandshakeAsync();

        var client = Start("s_client", $"-dtls1_2 -connect 127.0.0.1:{server.LocalEndPoint.Port} -cert {certificate} -key {key} " +
            $"-use_srtp {opensslProfiles} -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen {ExporterLength(expected)}");
        var result = await handshake;

        result.Succeeded.Should().BeTrue(result.FailureReason);
        result.KeyingMaterial!.Profile.Should().Be(expected);
        result.CipherSuite.Should().StartWith("TLS_ECDHE_ECDSA_WITH_");
        var openSslKeys = await ReadKeyingMaterialAsync(client);
        openSslKeys.Should().Equal(Concatenate(result.KeyingMaterial));
    }

    [Fact]
    public async Task Openssl_client_with_a_different_certificate_is_rejected_by_our_server()
    {
        var (certificate, key, _) = await CreateOpenSslCertificateAsync();
        await using var server = new UdpLoopbackPeer();
        server.Start(DtlsRole.Server, DtlsTestPair.ServerCertificate, DtlsTestPair.ClientCertificate.Fingerprint, peer: null);
        var handshake = server.Transport.HandshakeAsync();

        Start("s_client", $"-dtls1_2 -connect 127.0.0.1:{server.LocalEndPoint.Port} -cert {certificate} -key {key} -use_srtp SRTP_AES128_CM_SHA1_80");
        var result = await handshake;

        result.State.Should().Be(DtlsTransportState.Failed);
        result.FailureReason.Should().StartWith("client certificate fingerprint mismatch");
    }

    private static int ExporterLength(SrtpProfile profile) => SrtpKeyingMaterial.ExporterLength(profile);

    private static byte[] Concatenate(SrtpKeyingMaterial keys) =>
        [.. keys.ClientWriteKey, .. keys.ServerWriteKey, .. keys.ClientWriteSalt, .. keys.ServerWriteSalt];

    private async Task<(string Certificate, string Key, DtlsFingerprint Fingerprint)> CreateOpenSslCertificateAsync()
    {
        string certificate = Path.Combine(directory, "cert.pem");
        string key = Path.Combine(directory, "key.pem");
        var request = Start("req", $"-x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout {key} -out {certificate} -subj /CN=openssl -days 2");
        await request.WaitForExitAsync();
        request.ExitCode.Should().Be(0);
        var print = Start("x509", $"-in {certificate} -noout -fingerprint -sha256");
        string output = await print.StandardOutput.ReadToEndAsync();
        // "sha256 Fingerprint=13:75:..." -> "sha-256 13:75:..."
        var hex = output[(output.IndexOf('=') + 1)..].Trim();
        DtlsFingerprint.TryParse("sha-256 " + hex, out var fingerprint).Should().BeTrue(output);
        return (certificate, key, fingerprint!);
    }

    private Process Start(string command, string arguments)
    {
        var info = new ProcessStartInfo("openssl", $"{command} {arguments}")
        {
            RedirectStandardInput = true, // s_server/s_client end when stdin closes; keep it open
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start openssl");
        processes.Add(process);
        return process;
    }

    private static async Task WaitForLineAsync(Process process, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(expected, StringComparison.Ordinal))
                return;
        }
        throw new Xunit.Sdk.XunitException($"openssl ended before printing '{expected}': {await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task<byte[]> ReadKeyingMaterialAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = Regex.Match(line, "Keying material: ([0-9A-Fa-f]+)");
            if (match.Success)
                return Convert.FromHexString(match.Groups[1].Value);
        }
        throw new Xunit.Sdk.XunitException("openssl printed no keying material");
    }

    public void Dispose()
    {
        foreach (var process in processes)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
        Directory.Delete(directory, recursive: true);
    }
}
