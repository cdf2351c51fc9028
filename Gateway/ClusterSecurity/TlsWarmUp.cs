using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.ClusterSecurity;

/// <summary>
/// One mutual TLS handshake over loopback with the cluster certificate, run before Orleans starts. The silo runs without
/// tiered compilation, so the first real handshake would otherwise compile SslStream's code and load OpenSSL while a
/// membership probe (1 s timeout) waits on it: on a loaded 2-core machine new silos then voted each other dead.
/// </summary>
public sealed partial class TlsWarmUp(X509Certificate2 certificate, ILogger<TlsWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await HandshakeAsync(certificate, cancellationToken);
            LogWarmedUp(watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only a warm-up: the real connections report their own failures.
            LogWarmUpFailed(e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task HandshakeAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        var accepting = listener.AcceptTcpClientAsync(cancellationToken).AsTask();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken);
        using var accepted = await accepting;
        RemoteCertificateValidationCallback pinned = (_, remote, _, _) => ClusterTls.HoldsClusterKey(remote as X509Certificate2, certificate);
        await using var server = new SslStream(accepted.GetStream(), false, pinned);
        await using var tls = new SslStream(client.GetStream(), false, pinned);
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, ClientCertificateRequired = true }, cancellationToken),
            tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "rtc-cluster", ClientCertificates = [certificate] }, cancellationToken));
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "Cluster TLS warmed up in {Milliseconds} ms")]
    private partial void LogWarmedUp(long milliseconds);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Warning, Message = "Cluster TLS warm-up failed")]
    private partial void LogWarmUpFailed(Exception e);
}
