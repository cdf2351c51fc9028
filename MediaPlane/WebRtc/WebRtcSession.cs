using System.Net;
using MediaPlane.Contracts;
using MediaPlane.Dtls;
using MediaPlane.Ice;
using MediaPlane.Routing;
using MediaPlane.RtcpTermination;
using MediaPlane.Srtp;
using MediaPlane.Transport;

namespace MediaPlane.WebRtc;

/// <summary>
/// One client PeerConnection on the single port: ICE-lite consent and address, the DTLS handshake that
/// starts once the client nominates us, then SRTP both ways. Packets arrive on receive threads and leave
/// from whichever thread forwards them, so each SRTP direction has its own lock (uncontended in the
/// common case: one client's packets reach one receive thread).
/// </summary>
internal sealed class WebRtcSession : IRoutedSession
{
    private readonly Lock _sendLock = new();
    private readonly Lock _receiveLock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly IRoutedSessionHost _host;
    private SocketAddress? _remoteAddress;
    private UdpReceiveSocket? _socket;
    private EndpointKey? _remoteEndpoint;
    private SrtpContext? _srtp;
    private long _lastConsentTicks = Environment.TickCount64;
    private int _handshakeStarted;
    private int _closed;

    internal WebRtcSession(MediaSessionRequest request, DtlsCertificate certificate, DtlsTransportOptions dtlsOptions, IRoutedSessionHost host)
    {
        _host = host;
        Id = request.SessionId;
        Request = request;
        _remoteUfrag = request.RemoteUfrag;
        _remotePassword = request.RemotePassword is { } password ? System.Text.Encoding.ASCII.GetBytes(password) : null;
        _localCredentials = IceCredentials.Generate();
        Dtls = new DtlsTransport(request.LocalDtlsRole, certificate, request.RemoteFingerprints, SendDtls, dtlsOptions);
        if (request.TransportWideCcExtensionId is { } id && request.Publish.Count > 0)
            TransportFeedback = new PublisherTransportFeedback(id, request.Publish[0].Ssrc);
        else if (request.RembAbsSendTimeExtensionId is { } absSendTime && request.Publish.Count > 0)
            Remb = new PublisherRemb(absSendTime, [.. request.Publish.Select(t => t.Ssrc)]);
        if (request.Publish.Any(t => t.IsSimulcast))
            SsrcLearner = new SimulcastSsrcLearner(this);
    }

    /// <summary>Learns the SSRCs of this publisher's simulcast layers from their RIDs; null without simulcast.</summary>
    public SimulcastSsrcLearner? SsrcLearner { get; }

    /// <summary>REMB for a publisher that negotiated goog-remb and not transport-cc; null otherwise.</summary>
    internal PublisherRemb? Remb { get; }

    /// <summary>transport-cc feedback for a publisher that negotiated it; null otherwise.</summary>
    internal PublisherTransportFeedback? TransportFeedback { get; }

    public string Id { get; }

    public MediaSessionRequest Request { get; }

    // Replaced together by an ICE restart (RFC 8445 §2.4); the receive loops read them without a lock.
    private IceCredentials _localCredentials;
    private string _remoteUfrag;
    private byte[]? _remotePassword;

    public IceCredentials LocalCredentials => Volatile.Read(ref _localCredentials);

    public string RemoteUfrag => Volatile.Read(ref _remoteUfrag);

    public byte[]? RemotePasswordBytes => Volatile.Read(ref _remotePassword);

    /// <summary>A move to a new address waits for that address to answer our check; see <see cref="AddressMoveGuard"/>.</summary>
    public AddressMoveGuard AddressMoves { get; } = new();

    /// <summary>ICE restart: new credentials on both sides; DTLS and SRTP carry on (RFC 9725 §4.3.2).</summary>
    public void ReplaceIceCredentials(IceCredentials local, string remoteUfrag, byte[]? remotePassword)
    {
        AddressMoves.Cancel(); // a check signed with the old password cannot be answered any more
        Volatile.Write(ref _remotePassword, remotePassword);
        Volatile.Write(ref _remoteUfrag, remoteUfrag);
        Volatile.Write(ref _localCredentials, local);
    }

    public DtlsTransport Dtls { get; }

    public bool IsConnected => Volatile.Read(ref _srtp) is not null;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public EndpointKey? RemoteEndpoint
    {
        get { lock (_sendLock) return _remoteEndpoint; }
    }

    /// <summary>The receive loop's socket the client's packets arrive on (diagnostics, tests).</summary>
    internal UdpReceiveSocket? ReceiveSocket
    {
        get { lock (_sendLock) return _socket; }
    }

    public long LastConsentTicks => Volatile.Read(ref _lastConsentTicks);

    /// <summary>
    /// Producers of this session's published tracks, by the SSRC the client sends with. Simulcast layers join
    /// when their SSRC is learned, on a receive loop, hence a concurrent dictionary.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<uint, Producer> ProducersBySsrc { get; } = new();

    /// <summary>Producers of this session's published tracks, by their RTX SSRC (RFC 4588, a=ssrc-group:FID).</summary>
    public Dictionary<uint, Producer> RtxProducersBySsrc { get; } = [];

    /// <summary>Consumers of this session's subscribed tracks, by the SSRC we send with.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<uint, Consumer> ConsumersBySsrc { get; } = new();

    public long SrtpRejected => Interlocked.Read(ref _srtpRejected);
    private long _srtpRejected;

    public void RefreshConsent(long nowTicks) => Volatile.Write(ref _lastConsentTicks, nowTicks);

    public void MoveTo(EndpointKey remote, SocketAddress address, UdpReceiveSocket socket)
    {
        lock (_sendLock)
        {
            _remoteEndpoint = remote;
            _remoteAddress = address;
            _socket = socket;
        }
        // The handshake starts when the client first nominates us: before that there is nowhere to send.
        if (Interlocked.Exchange(ref _handshakeStarted, 1) == 0)
            _ = RunHandshakeAsync();
    }

    private async Task RunHandshakeAsync()
    {
        DtlsResult result;
        try
        {
            result = await Dtls.HandshakeAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _host.OnSessionFailed(this, SessionCloseReason.DtlsFailed, e.Message);
            return;
        }
        if (!result.Succeeded)
        {
            _host.OnSessionFailed(this, SessionCloseReason.DtlsFailed, result.FailureReason);
            return;
        }
        Volatile.Write(ref _srtp, SrtpContext.Create(result.KeyingMaterial!, localIsDtlsClient: Dtls.Role == DtlsRole.Client));
        Dtls.Closed += (_, _) => _host.OnSessionFailed(this, SessionCloseReason.ClosedByPeer, "DTLS close_notify");
        _host.OnSessionConnected(this);
    }

    private void SendDtls(ReadOnlySpan<byte> datagram)
    {
        lock (_sendLock)
        {
            if (_socket is { } socket && _remoteAddress is { } address)
                socket.SendTo(datagram, address);
        }
    }

    /// <summary>An SRTP or SRTCP datagram from the client, in the receive buffer: unprotected in place.</summary>
    /// <returns>The plain packet's length, or -1 when it was dropped.</returns>
    internal int Unprotect(Span<byte> datagram, bool isRtcp)
    {
        SrtpError error;
        int plainLength;
        lock (_receiveLock)
        {
            if (_srtp is not { } srtp)
            {
                Interlocked.Increment(ref _srtpRejected);
                return -1;
            }
            error = isRtcp
                ? srtp.UnprotectRtcp(datagram, datagram.Length, out plainLength)
                : srtp.UnprotectRtp(datagram, datagram.Length, out plainLength);
        }
        if (error != SrtpError.None)
        {
            Interlocked.Increment(ref _srtpRejected);
            return -1;
        }
        return plainLength;
    }

    /// <summary>Protects a plain RTP or RTCP packet in <paramref name="buffer"/> (room for the trailer) and sends it.</summary>
    public bool Send(Span<byte> buffer, int length, bool isRtcp)
    {
        lock (_sendLock)
        {
            var srtp = _srtp;
            if (srtp is null || _socket is not { } socket || _remoteAddress is not { } address)
                return false;
            bool protectedOk = isRtcp
                ? srtp.TryProtectRtcp(buffer, length, out int protectedLength)
                : srtp.TryProtectRtp(buffer, length, out protectedLength);
            return protectedOk && socket.SendTo(buffer[..protectedLength], address);
        }
    }

    /// <summary>
    /// Protects the plain RTP packet in <paramref name="batch"/>'s next slot and queues it for this session's
    /// socket and address; the caller flushes the batch. False when not connected or protection failed.
    /// </summary>
    public bool QueueRtp(UdpSendBatch batch, int length)
    {
        lock (_sendLock)
        {
            var srtp = _srtp;
            if (srtp is null || _socket is not { } socket || _remoteAddress is not { } address)
                return false;
            if (!srtp.TryProtectRtp(batch.Next, length, out int protectedLength))
                return false;
            batch.Add(socket, address, protectedLength);
            return true;
        }
    }

    /// <summary>Ends the session: sends close_notify if connected and frees crypto state. Idempotent.</summary>
    public bool MarkClosed() => Interlocked.Exchange(ref _closed, 1) == 0;

    public void Dispose()
    {
        _lifetime.Cancel();
        try
        {
            if (Dtls.State == DtlsTransportState.Connected)
                Dtls.Close();
        }
        finally
        {
            Dtls.Dispose();
            lock (_receiveLock)
            lock (_sendLock)
            {
                _srtp?.Dispose();
                _srtp = null;
            }
            _lifetime.Dispose();
        }
    }
}
