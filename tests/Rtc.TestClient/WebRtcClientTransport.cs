using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaPlane.Demux;
using MediaPlane.Dtls;
using MediaPlane.Ice;
using MediaPlane.Srtp;
using MediaPlane.Stun;

namespace Rtc.TestClient;

/// <summary>
/// Our own WebRTC client transport, for tests and the load generator: a full ICE agent reduced to the one
/// pair a lite server offers (RFC 8445 §2.5), a DTLS client, and SRTP both ways. It sends connectivity
/// checks with USE-CANDIDATE until answered, then handshakes, then carries RTP and RTCP; it keeps sending
/// consent checks (RFC 7675) while open.
/// </summary>
public sealed class WebRtcClientTransport : IDisposable
{
    private const int MaxDatagram = 2048;
    private readonly Socket _socket;
    private readonly IPEndPoint _server;
    private readonly SocketAddress _serverAddress;
    private string _serverUfrag;
    private byte[] _serverPassword;
    private TaskCompletionSource _restartVerified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DtlsTransport _dtls;
    private readonly Lock _sendLock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _iceConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _nominated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _sendBuffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
    private SrtpContext? _srtp;
    private Thread? _receiver;
    private Timer? _consent;

    public WebRtcClientTransport(IPEndPoint server, string serverUfrag, string serverPassword, DtlsFingerprint serverFingerprint,
        DtlsCertificate? certificate = null, IPAddress? localAddress = null, Socket? boundSocket = null)
    {
        _server = server;
        _serverAddress = server.Serialize();
        _serverUfrag = serverUfrag;
        _serverPassword = Encoding.ASCII.GetBytes(serverPassword);
        Certificate = certificate ?? DtlsCertificate.Generate();
        if (boundSocket is null)
        {
            _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            _socket.Bind(new IPEndPoint(localAddress ?? (server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback), 0));
        }
        else
            _socket = boundSocket; // bound before the SDP was written, so a full-ICE peer gets its port as our candidate
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _dtls = new DtlsTransport(DtlsRole.Client, Certificate, serverFingerprint, SendRaw);
    }

    /// <summary>Our ICE credentials, for the SDP offer (created before the answer is known).</summary>
    public static IceCredentials NewLocalCredentials() => IceCredentials.Generate();

    public DtlsCertificate Certificate { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Our ICE password. When set, we answer the peer's verified binding requests (RFC 8445 §7.3), as a
    /// full ICE agent such as Janus needs; null (the default) ignores them, which an ICE-lite server never sends.
    /// </summary>
    public string? LocalPassword
    {
        get => _localPassword is null ? null : Encoding.ASCII.GetString(_localPassword);
        set => _localPassword = value is null ? null : Encoding.ASCII.GetBytes(value);
    }

    private byte[]? _localPassword;

    /// <summary>
    /// True (the default): our checks carry ICE-CONTROLLING and USE-CANDIDATE. False when the peer offered
    /// and so controls (RFC 8445 §6.1.1): our checks carry ICE-CONTROLLED and the peer nominates.
    /// </summary>
    public bool Controlling { get; set; } = true;

    /// <summary>Our ufrag: the second half of USERNAME in our checks. Set before <see cref="ConnectAsync"/>.</summary>
    public string LocalUfrag { get; set; } = IceCredentials.Generate().Ufrag;

    /// <summary>Called on the receive thread with each authenticated, decrypted RTP packet.</summary>
    public RtpHandler? OnRtp { get; set; }

    /// <summary>Called on the receive thread with each authenticated, decrypted RTCP compound packet.</summary>
    public RtpHandler? OnRtcp { get; set; }

    public delegate void RtpHandler(ReadOnlySpan<byte> packet);

    /// <summary>Simulated network loss for tests: incoming RTP whose sequence number this returns true for is dropped.</summary>
    public Func<ushort, bool>? DropIncomingRtp { get; set; }

    public long SrtpRejected => Interlocked.Read(ref _srtpRejected);
    private long _srtpRejected;

    public TimeSpan IceElapsed { get; private set; }

    /// <summary><see cref="Environment.TickCount64"/> of the last verified answer to our checks: the server's consent (RFC 7675).</summary>
    public long LastConsentTicks => Volatile.Read(ref _lastConsentTicks);
    private long _lastConsentTicks;

    public DtlsResult? DtlsResult { get; private set; }

    /// <summary>ICE (checks until a verified success response), then the DTLS handshake; throws on failure.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (!ExternalReceive)
        {
            _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "webrtc-client-rx" };
            _receiver.Start();
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        // RFC 8445 §14: checks are retransmitted; 50 ms pacing is what browsers use for the first ones.
        while (!_iceConnected.Task.IsCompleted)
        {
            SendBindingRequest(useCandidate: true);
            try
            {
                await _iceConnected.Task.WaitAsync(TimeSpan.FromMilliseconds(50), timeout.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"ICE: no verified binding response from {_server} within 10 s.");
            }
        }
        if (!Controlling)
        {
            // Controlled (RFC 8445 §7.3.1.5): the pair is selected when the peer nominates it; a DTLS flight sent
            // before that is dropped by a peer that starts DTLS on selection, costing a full retransmit timeout.
            try
            {
                await _nominated.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"ICE: {_server} did not nominate our pair within 10 s.");
            }
        }
        IceElapsed = started.Elapsed;

        var result = await _dtls.HandshakeAsync(cancellationToken).ConfigureAwait(false);
        DtlsResult = result;
        if (!result.Succeeded)
            throw new InvalidOperationException($"DTLS failed: {result.FailureReason}");
        _srtp = SrtpContext.Create(result.KeyingMaterial!, localIsDtlsClient: true);
        _consent = new Timer(_ => SendBindingRequest(useCandidate: false), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// ICE restart (RFC 8445 §2.4): checks now use the new credentials of both sides; returns once the
    /// server verified one. DTLS and SRTP are untouched, as WHIP/WHEP restarts require (RFC 9725 §4.3.2).
    /// </summary>
    public async Task RestartIceAsync(string serverUfrag, string serverPassword, string localUfrag, CancellationToken cancellationToken = default,
        string? localPassword = null)
    {
        lock (_sendLock)
        {
            if (localPassword is not null)
                LocalPassword = localPassword;
            _restartVerified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _serverUfrag = serverUfrag;
            _serverPassword = Encoding.ASCII.GetBytes(serverPassword);
            LocalUfrag = localUfrag;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!_restartVerified.Task.IsCompleted)
        {
            SendBindingRequest(useCandidate: true);
            try
            {
                await _restartVerified.Task.WaitAsync(TimeSpan.FromMilliseconds(50), timeout.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"ICE restart: no verified binding response from {_server} within 10 s.");
            }
        }
    }

    /// <summary>Protects and sends a plain RTP packet (the span is copied). False before connected.</summary>
    public bool SendRtp(ReadOnlySpan<byte> packet) => SendProtected(packet, isRtcp: false);

    public bool SendRtcp(ReadOnlySpan<byte> packet) => SendProtected(packet, isRtcp: true);

    /// <summary>Sees every datagram this client sends, as sent (tests capture SRTP to replay it).</summary>
    public Action<byte[]>? OnSent { get; set; }

    /// <summary>Sends bytes as they are (for tests of bad input).</summary>
    public void SendRaw(ReadOnlySpan<byte> datagram)
    {
        OnSent?.Invoke(datagram.ToArray());
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, _serverAddress);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private bool SendProtected(ReadOnlySpan<byte> packet, bool isRtcp)
    {
        lock (_sendLock)
        {
            if (_srtp is not { } srtp || packet.Length + 32 > MaxDatagram)
                return false;
            packet.CopyTo(_sendBuffer);
            bool ok = isRtcp
                ? srtp.TryProtectRtcp(_sendBuffer, packet.Length, out int length)
                : srtp.TryProtectRtp(_sendBuffer, packet.Length, out length);
            if (!ok)
                return false;
            SendRaw(_sendBuffer.AsSpan(0, length));
            return true;
        }
    }

    private void SendBindingRequest(bool useCandidate)
    {
        Span<byte> buffer = stackalloc byte[256];
        var username = Encoding.ASCII.GetBytes($"{_serverUfrag}:{LocalUfrag}");
        if (StunMessageWriter.TryCreate(buffer, StunConstants.BindingMethod, StunMessageClass.Request, TransactionId.NewRandom(), out var writer)
            && writer.TryAddUsername(username)
            && writer.TryAddPriority(0x6E7F1EFF)
            && (Controlling ? writer.TryAddIceControlling(0x1234_5678_9ABC_DEF0) : writer.TryAddIceControlled(0x1234_5678_9ABC_DEF0))
            && (!useCandidate || !Controlling || writer.TryAddUseCandidate())
            && writer.TryAddMessageIntegrity(_serverPassword)
            && writer.TryAddFingerprint())
            SendRaw(writer.Written);
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[MaxDatagram];
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_lifetime.IsCancellationRequested)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Deliver(buffer.AsSpan(0, length), from);
        }
    }

    /// <summary>
    /// Without a receive thread of its own (<see cref="ExternalReceive"/>), the owner of many transports reads
    /// their sockets (<see cref="Socket"/>) itself and hands each datagram here, with the address it came from.
    /// </summary>
    public void Deliver(Span<byte> datagram, SocketAddress from)
    {
        if (datagram.Length < 2 || !from.Equals(_serverAddress))
            return; // only the server we were given may talk to us
        var kind = PacketClassifier.Classify(datagram);
        if (kind == PacketKind.Stun)
            OnStun(datagram, from);
        else if (kind == PacketKind.Dtls)
            _dtls.FeedDatagram(datagram);
        else if (kind is PacketKind.Rtp or PacketKind.Rtcp && _srtp is { } srtp)
            OnSrtp(srtp, datagram, kind == PacketKind.Rtcp);
    }

    /// <summary>
    /// True: <see cref="ConnectAsync"/> starts no receive thread and the owner calls <see cref="Deliver"/> (a
    /// load generator with hundreds of transports reads them all from a few threads). False by default; read when
    /// <see cref="ConnectAsync"/> starts, so set it before.
    /// </summary>
    public bool ExternalReceive { get; set; }

    /// <summary>Our socket, for an owner that receives on it itself (<see cref="ExternalReceive"/>).</summary>
    public Socket Socket => _socket;

    private void OnStun(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (!StunMessageReader.TryParse(datagram, out var message, out _))
            return;
        if (message.IsBindingRequest)
        {
            // The peer's check (RFC 8445 §7.3): a success response with XOR-MAPPED-ADDRESS, our integrity and FINGERPRINT.
            Span<byte> response = stackalloc byte[256];
            if (_localPassword is { } password && message.VerifyMessageIntegrity(password)
                && IceLiteBinding.TryWriteSuccessResponse(message, from, password, response, out int written))
            {
                SendRaw(response[..written]);
                if (message.UseCandidate)
                    _nominated.TrySetResult();
            }
            return;
        }
        if (message.Class == StunMessageClass.SuccessResponse
            && message.VerifyMessageIntegrity(Volatile.Read(ref _serverPassword)))
        {
            Volatile.Write(ref _lastConsentTicks, Environment.TickCount64);
            _iceConnected.TrySetResult();
            Volatile.Read(ref _restartVerified).TrySetResult();
        }
    }

    private void OnSrtp(SrtpContext srtp, Span<byte> datagram, bool isRtcp)
    {
        // The SRTP header is in the clear (RFC 3711 §3.1), so loss can be simulated by sequence number.
        if (!isRtcp && datagram.Length >= 4 && DropIncomingRtp is { } drop && drop(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(datagram[2..])))
            return;
        var error = isRtcp
            ? srtp.UnprotectRtcp(datagram, datagram.Length, out int plain)
            : srtp.UnprotectRtp(datagram, datagram.Length, out plain);
        if (error != SrtpError.None)
        {
            Interlocked.Increment(ref _srtpRejected);
            return;
        }
        (isRtcp ? OnRtcp : OnRtp)?.Invoke(datagram[..plain]);
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        _consent?.Dispose();
        try
        {
            if (_dtls.State == DtlsTransportState.Connected)
                _dtls.Close();
        }
        finally
        {
            _dtls.Dispose();
            _socket.Dispose();
            _receiver?.Join(TimeSpan.FromSeconds(1));
            lock (_sendLock)
                _srtp?.Dispose();
        }
    }
}
