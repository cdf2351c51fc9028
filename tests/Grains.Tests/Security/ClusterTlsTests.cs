using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Grains.Interfaces.Rooms;
using Grains.Tests.Fixtures;
using Grains.Tests.Restart;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rtc.Tests.Shared;
using Silo.Hosting;

namespace Grains.Tests.Security;

/// <summary>
/// Issue 20 item 2: a real silo process on the Azure Storage profile (Azurite) speaks TLS with mutual authentication
/// on its silo and gateway ports, and listens on its advertised address only. A client holding the cluster certificate
/// calls grains; a TLS client without a certificate, one with another certificate, and a plaintext Orleans client are
/// all refused.
/// </summary>
[Collection(RestartCollection.Name)]
public sealed class ClusterTlsTests
{
    private static readonly TimeSpan RefusalWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Orleans_ports_require_the_cluster_certificate_and_listen_on_the_advertised_address()
    {
        using var dir = new TempDirectory("rtc-tls");
        var profile = new SiloProfileUnderTest(ClusterProvider.AzureStorage, TestServers.Azurite, Path.Combine(dir.Path, "data"));
        var env = profile.Environment();
        int siloPort = int.Parse(env["Silo__SiloPort"], CultureInfo.InvariantCulture);
        await using var silo = await SiloProcess.StartAsync(env, dir.Path);

        // With the certificate: a real Orleans client connects and calls a grain.
        using (var client = await profile.ConnectClientAsync())
        {
            var rooms = await client.Services.GetRequiredService<IGrainFactory>()
                .GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).ListAsync("", 10, includeClosed: true);
            rooms.Should().NotBeNull();
            await client.StopAsync();
        }

        foreach (int port in new[] { profile.GatewayPort, siloPort })
        {
            ListeningAddresses(port).Should().Equal([IPAddress.Loopback], $"port {port} must listen on the advertised address only");
            (await TlsRefusedAsync(port, clientCertificate: null)).Should().BeTrue($"port {port} must refuse a TLS client without a certificate");
            var stranger = new TestClusterCertificate(Path.Combine(dir.Path, "stranger.pfx"), "CN=stranger");
            (await TlsRefusedAsync(port, stranger.Certificate)).Should().BeTrue($"port {port} must refuse a certificate that is not the cluster's");
        }
        // Sanity check of the probe itself: with the cluster certificate the same TLS connection stays open.
        (await TlsRefusedAsync(profile.GatewayPort, profile.Certificate!.Certificate)).Should().BeFalse();

        // A plaintext Orleans client (no TLS) cannot connect at all.
        var plain = PlaintextClient(profile);
        var connect = async () => await plain.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await connect.Should().ThrowAsync<Exception>();
        plain.Dispose();
    }

    /// <summary>
    /// Connects with TLS (accepting any server certificate) and waits for the server's verdict. The silo never speaks
    /// first on an accepted connection (the Orleans client sends its preamble first), so a read that ends, fails, or
    /// never completes the handshake means refused; a read still waiting after <see cref="RefusalWait"/> means accepted.
    /// </summary>
    private static async Task<bool> TlsRefusedAsync(int port, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var wait = new CancellationTokenSource(RefusalWait);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "rtc-cluster",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            }, wait.Token);
            // TLS 1.3: the client's side completes before the server has judged the client's certificate.
            int read = await tls.ReadAsync(new byte[1], wait.Token);
            return read == 0;
        }
        catch (OperationCanceledException)
        {
            return false; // still open: accepted
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            return true;
        }
    }

    /// <summary>Local addresses of the TCP sockets listening on <paramref name="port"/> (from /proc/net/tcp and tcp6).</summary>
    private static IReadOnlyList<IPAddress> ListeningAddresses(int port)
    {
        var found = new List<IPAddress>();
        foreach (string file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (string line in File.ReadLines(file).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string[] local = fields[1].Split(':');
                if (fields[3] != "0A" || int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
                    continue; // not LISTEN on this port
                byte[] bytes = Convert.FromHexString(local[0]);
                // /proc prints each 32-bit word in host (little-endian) order.
                for (int i = 0; i < bytes.Length; i += 4)
                    Array.Reverse(bytes, i, 4);
                var address = new IPAddress(bytes);
                found.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
            }
        }
        return found;
    }

    private static IHost PlaintextClient(SiloProfileUnderTest profile)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o => { o.ClusterId = profile.ClusterId; o.ServiceId = profile.ServiceId; });
            client.UseAzureStorageClustering(o => o.TableServiceClient = new Azure.Data.Tables.TableServiceClient(TestServers.Azurite));
        });
        return builder.Build();
    }
}
