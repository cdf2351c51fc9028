using System.Collections.Concurrent;
using System.Net;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Dtls;
using MediaPlane.Rtp;
using MediaPlane.Transport;
using MediaPlane.WebRtc;

namespace MediaPlane.Tests.WebRtc;

/// <summary>A media node on loopback and helpers to connect our own clients to it.</summary>
internal sealed class MediaNodeHarness : IDisposable, IMediaSessionObserver
{
    public MediaNodeHarness(TimeSpan? consentTimeout = null, MediaPlane.Relay.RelayOptions? relay = null, int receiveLoops = 2)
    {
        Server = new WebRtcServer(new WebRtcServerOptions
        {
            Port = new MediaPortOptions { BindAddress = "127.0.0.1", Port = 0, ReceiveLoops = receiveLoops },
            ConsentTimeout = consentTimeout ?? TimeSpan.FromSeconds(30),
            SweepInterval = TimeSpan.FromMilliseconds(200),
            Relay = relay,
        }, this);
    }

    public WebRtcServer Server { get; }

    public ConcurrentQueue<string> Connected { get; } = new();

    public ConcurrentQueue<(string Id, SessionCloseReason Reason, string? Detail)> Closed { get; } = new();

    public void OnConnected(string sessionId) => Connected.Enqueue(sessionId);

    public void OnClosed(string sessionId, SessionCloseReason reason, string? detail) => Closed.Enqueue((sessionId, reason, detail));

    /// <summary>
    /// Opens a session and connects our client to it. The client answers the node's checks with its password, as a
    /// browser does; <paramref name="server"/> replaces the node's address (a NAT in between, in tests).
    /// </summary>
    public async Task<WebRtcClientTransport> ConnectAsync(string sessionId, PublishedTrack[] publish, SubscribedTrack[] subscribe,
        DtlsFingerprint? clientFingerprintOverride = null, IPAddress? localAddress = null, IPEndPoint? server = null)
    {
        var certificate = DtlsCertificate.Generate();
        string remoteUfrag = $"cli{sessionId}";
        string remotePassword = MediaPlane.Ice.IceCredentials.Generate().Password;
        var answer = Server.Open(new MediaSessionRequest(sessionId, remoteUfrag, [clientFingerprintOverride ?? certificate.Fingerprint], DtlsRole.Server,
            publish, subscribe, RemotePassword: remotePassword));
        var client = new WebRtcClientTransport(server ?? new IPEndPoint(IPAddress.Parse(answer.Address), answer.Port),
            answer.LocalUfrag, answer.LocalPassword, answer.LocalFingerprint, certificate, localAddress)
        { LocalUfrag = remoteUfrag, LocalPassword = remotePassword };
        await client.ConnectAsync();
        return client;
    }

    /// <summary>An RTP packet with a one-byte header extension (which the SFU must drop) and a recognisable payload.</summary>
    public static byte[] RtpPacket(uint ssrc, byte payloadType, ushort sequence, uint timestamp, int payloadLength = 1000)
    {
        var buffer = new byte[40 + payloadLength];
        var payload = Payload(sequence, payloadLength);
        var writer = new RtpPacketWriter(buffer);
        writer.TryBegin(false, payloadType, sequence, timestamp, ssrc, extensionForm: RtpExtensionForm.OneByte).Should().BeTrue();
        writer.TryAddExtension(3, [1, 2, 3]).Should().BeTrue();
        writer.TryFinish(payload, 0, out int written).Should().BeTrue();
        return buffer[..written];
    }

    public static byte[] Payload(ushort sequence, int length) => Enumerable.Range(0, length).Select(i => (byte)(sequence + i)).ToArray();

    public void Dispose() => Server.Dispose();
}
