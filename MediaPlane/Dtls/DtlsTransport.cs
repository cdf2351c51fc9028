using System.Buffers;
using System.Diagnostics;
using MediaPlane.Srtp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using BcDtlsTransport = Org.BouncyCastle.Tls.DtlsTransport;

namespace MediaPlane.Dtls;

// Over 400 lines on purpose: the whole BouncyCastle boundary (handshake thread, datagram queue, exported SRTP keys,
// close) stays in one class so that no other file touches BouncyCastle's TLS types (STYLE.md: crypto behind one door).

/// <summary>
/// One DTLS-SRTP association (RFC 5764 over DTLS 1.2, RFC 6347), in the client or server role, driven by
/// datagrams rather than a socket: the media plane demultiplexes its UDP socket (RFC 7983: first byte 20..63
/// is DTLS) and hands DTLS datagrams to <see cref="FeedDatagram"/>; replies leave through the
/// <see cref="DtlsDatagramSender"/>. SRTP packets are not DTLS and must not be fed here.
/// <para>
/// Return routability first (server role, <see cref="DtlsTransportOptions.RequireCookie"/>): after
/// <see cref="HandshakeAsync"/> the transport answers each ClientHello without our cookie with a
/// HelloVerifyRequest (RFC 6347 §4.2.1, BouncyCastle's stateless <c>DtlsVerifier</c>) on the receive thread that
/// fed it, and starts no thread and no key exchange until a ClientHello returns the cookie. A spoofed source thus
/// costs one HMAC and one small datagram, never a thread or a server flight.
/// </para>
/// <para>
/// Threading and cost: BouncyCastle's handshake is blocking, so a verified handshake runs on a
/// dedicated thread (TaskCreationOptions.LongRunning) that lives for the handshake only: a thread start
/// (~0.1 ms), its stack (1 MB reserved, tens of KB committed) and BouncyCastle's managed ECDHE + ECDSA.
/// Measured here (bench DtlsBenchmarks.Handshake, both sides in one process, loaded 2-core VM): median
/// ~3.7 ms wall per client+server pair, ~680 KB allocated per pair. The thread sleeps while waiting for the
/// peer, so a burst of N joins holds N mostly idle threads for 1-2 round trips each (or up to the handshake
/// timeout for peers that never answer). The first handshake in a process also pays ~0.7 s of JIT.
/// After the handshake no thread is held: datagrams that still arrive (a retransmitted final flight,
/// close_notify) are processed by a short thread-pool work item.
/// </para>
/// <para>
/// The peer's certificate must hash to one of the fingerprints from its SDP (RFC 5763 §5), else the
/// handshake fails with a reason. The result carries the negotiated SRTP profile and keys
/// (RFC 5764 §4.2, exporter label "EXTRACTOR-dtls_srtp").
/// </para>
/// </summary>
public sealed class DtlsTransport : IDisposable
{
    private readonly Lock gate = new();
    private readonly QueuedDatagramTransport datagrams;
    private readonly DtlsHandshakeContext handshake;
    private readonly DtlsTransportOptions options;
    private readonly CancellationTokenSource lifetime = new();
    private Task<DtlsResult>? handshakeTask;
    private TaskCompletionSource<DtlsResult>? handshakeCompletion;
    private CancellationTokenSource? handshakeAttempt;
    private CancellationToken handshakeCallerToken;
    private long handshakeRequestedTimestamp;
    private bool handshakeThreadStarted;
    private bool cookieWindowClosed;
    private DtlsVerifier? cookieVerifier;
    private ClientHelloReassembler? helloFragments;
    private long helloVerifyRequestsSent;
    private BcDtlsTransport? connection;
    private DtlsTransportState state = DtlsTransportState.New;
    private string? failureReason;
    private int draining;

    public DtlsTransport(
        DtlsRole role,
        DtlsCertificate localCertificate,
        DtlsFingerprint remoteFingerprint,
        DtlsDatagramSender send,
        DtlsTransportOptions? options = null)
        : this(role, localCertificate, [remoteFingerprint], send, options)
    {
    }

    /// <param name="role">Client or server side of the handshake.</param>
    /// <param name="localCertificate">Our certificate; its fingerprint goes into our SDP.</param>
    /// <param name="remoteFingerprints">Fingerprints from the peer's SDP; the certificate must match one.</param>
    /// <param name="send">Sends a datagram to the peer (see <see cref="DtlsDatagramSender"/>).</param>
    /// <param name="options">Timeouts, queue size, SRTP profile preference.</param>
    public DtlsTransport(
        DtlsRole role,
        DtlsCertificate localCertificate,
        IReadOnlyList<DtlsFingerprint> remoteFingerprints,
        DtlsDatagramSender send,
        DtlsTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(localCertificate);
        ArgumentNullException.ThrowIfNull(remoteFingerprints);
        ArgumentNullException.ThrowIfNull(send);
        if (remoteFingerprints.Count == 0 || remoteFingerprints.Any(f => f is null))
            throw new ArgumentException("At least one remote fingerprint is required.", nameof(remoteFingerprints));
        this.options = options ?? DtlsTransportOptions.Default;
        this.options.Validate();

        Role = role;
        LocalFingerprint = localCertificate.Fingerprint;
        datagrams = new QueuedDatagramTransport(
            send, this.options.ReceiveQueueCapacity, this.options.MaxReceiveDatagramSize, this.options.MaxSendDatagramSize);
        handshake = new DtlsHandshakeContext(
            new BcTlsCrypto(new SecureRandom()), localCertificate, remoteFingerprints.ToArray(), this.options, OnAlertReceived);
    }

    public DtlsRole Role { get; }

    public DtlsFingerprint LocalFingerprint { get; }

    public DtlsTransportState State
    {
        get
        {
            lock (gate)
                return state;
        }
    }

    /// <summary>Why the transport failed or was closed; null while healthy.</summary>
    public string? FailureReason
    {
        get
        {
            lock (gate)
                return failureReason;
        }
    }

    /// <summary>SRTP profile and keys once connected.</summary>
    public SrtpKeyingMaterial? KeyingMaterial => State == DtlsTransportState.Connected ? handshake.KeyingMaterial : null;

    /// <summary>ClientHellos answered with a HelloVerifyRequest (server role): each one cost no thread and no key exchange.</summary>
    public long HelloVerifyRequestsSent => Interlocked.Read(ref helloVerifyRequestsSent);

    /// <summary>True once the blocking handshake runs on its thread (server role: after a ClientHello returned our cookie).</summary>
    public bool HandshakeThreadStarted
    {
        get
        {
            lock (gate)
                return handshakeThreadStarted;
        }
    }

    /// <summary>Datagrams dropped: malformed, oversized, queue full, or after the transport ended.</summary>
    public long DroppedDatagrams => datagrams.DroppedDatagrams + Interlocked.Read(ref rejectedDatagrams);

    private long rejectedDatagrams;

    /// <summary>Raised on every state change, outside internal locks. Handler exceptions are swallowed.</summary>
    public event EventHandler<DtlsTransportState>? StateChanged;

    /// <summary>Raised when the peer ends the association with close_notify (RFC 5246 §7.2.1).</summary>
    public event EventHandler? Closed;

    /// <summary>
    /// Hands a received DTLS datagram (first byte 20..63) to the transport. Copies it into a bounded queue
    /// and returns at once; false when it was dropped (not well-formed DTLS records, oversized, queue full,
    /// or the transport has ended). Never throws.
    /// </summary>
    public bool FeedDatagram(ReadOnlySpan<byte> datagram)
    {
        if (!IsAcceptable(datagram))
        {
            Interlocked.Increment(ref rejectedDatagrams);
            return false;
        }
        var current = State;
        if (current is DtlsTransportState.Failed or DtlsTransportState.Closed)
        {
            Interlocked.Increment(ref rejectedDatagrams);
            return false;
        }
        // Before HandshakeAsync datagrams wait in the queue as always; HandshakeAsync passes them through the cookie check.
        if (Role == DtlsRole.Server && options.RequireCookie && current != DtlsTransportState.New && !HandshakeThreadStarted)
            return VerifyClientHello(datagram);
        if (!datagrams.TryEnqueue(datagram))
            return false;
        // Read the state after enqueueing: a handshake that just finished may have missed this datagram.
        if (State == DtlsTransportState.Connected)
            ScheduleDrain();
        return true;
    }

    /// <summary>
    /// Cheap junk filter before BouncyCastle: the records must tile the datagram (RFC 6347 §4.1) and records
    /// of a protected epoch must be long enough to hold the AEAD nonce and tag.
    /// </summary>
    private bool IsAcceptable(ReadOnlySpan<byte> datagram)
    {
        if (!DtlsRecordHeader.IsWellFormedDatagram(datagram, out _))
            return false;
        int minimumProtected = handshake.MinimumProtectedRecordLength;
        while (DtlsRecordHeader.TryParse(datagram, out var record))
        {
            if (record.Epoch != 0 && record.FragmentLength < minimumProtected)
                return false;
            datagram = datagram[record.RecordLength..];
        }
        return true;
    }

    /// <summary>
    /// Starts the handshake (once; later calls return the same task) and completes when it succeeds, fails,
    /// times out (<see cref="DtlsTransportOptions.HandshakeTimeout"/>) or is cancelled. Never faults: failures
    /// come back as a <see cref="DtlsResult"/> with a reason.
    /// </summary>
    public Task<DtlsResult> HandshakeAsync(CancellationToken cancellationToken = default)
    {
        Task<DtlsResult> task;
        lock (gate)
        {
            if (handshakeTask is not null)
                return handshakeTask;
            if (state != DtlsTransportState.New)
            {
                handshakeTask = Task.FromResult(new DtlsResult(state, null, failureReason ?? "transport closed before the handshake", null, TimeSpan.Zero));
                return handshakeTask;
            }
            var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
            attempt.CancelAfter(options.HandshakeTimeout);
            datagrams.SetCancellation(attempt.Token);
            state = DtlsTransportState.Connecting;
            handshakeAttempt = attempt;
            handshakeCallerToken = cancellationToken;
            handshakeRequestedTimestamp = Stopwatch.GetTimestamp();
            handshakeCompletion = new TaskCompletionSource<DtlsResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            task = handshakeCompletion.Task;
            handshakeTask = task;
        }
        // Raised before the thread starts, so subscribers see the states in order.
        RaiseStateChanged(DtlsTransportState.Connecting);
        if (Role == DtlsRole.Server && options.RequireCookie)
        {
            handshakeAttempt!.Token.Register(static t => ((DtlsTransport)t!).AbandonUnverified(), this);
            VerifyQueuedClientHellos();
        }
        else
            StartHandshakeThread(null);
        return task;
    }

    /// <summary>
    /// Server role, before the handshake thread: a ClientHello with our cookie starts it; one without gets a
    /// HelloVerifyRequest; anything else is dropped. Runs on the receive thread; allocates (no hot path: handshakes only).
    /// </summary>
    private bool VerifyClientHello(ReadOnlySpan<byte> datagram)
    {
        DtlsVerifier verifier;
        lock (gate)
        {
            if (state != DtlsTransportState.Connecting || handshakeThreadStarted || cookieWindowClosed)
            {
                // Not asked to handshake yet (no nomination), or already past this point on another thread.
                Interlocked.Increment(ref rejectedDatagrams);
                return false;
            }
            verifier = cookieVerifier ??= new DtlsVerifier(handshake.Crypto);
        }
        // A fragmented ClientHello (browsers' are, with a post-quantum key share) is checked once whole.
        byte[]? bytes;
        lock (gate)
            if (!(helloFragments ??= new ClientHelloReassembler()).TryAdd(datagram, out bytes))
                return false;
        var sender = new CountingSender(datagrams);
        // One verifier per association: its secret is ours alone, and only the client's confirmed address reaches us.
        DtlsRequest? request;
        try
        {
            request = verifier.VerifyRequest([], bytes!, 0, bytes!.Length, sender);
        }
        catch (Exception)
        {
            request = null; // BouncyCastle catches its own IOExceptions; anything else from junk input is dropped here too
        }
        if (sender.Sent > 0)
            Interlocked.Increment(ref helloVerifyRequestsSent);
        if (request is null)
            return false;
        lock (gate)
        {
            if (state != DtlsTransportState.Connecting || handshakeThreadStarted || cookieWindowClosed)
                return false;
            handshakeThreadStarted = true;
        }
        StartHandshakeThread(request);
        return true;
    }

    /// <summary>Datagrams fed before <see cref="HandshakeAsync"/> go through the cookie check now, in order.</summary>
    private void VerifyQueuedClientHellos()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxReceiveDatagramSize);
        try
        {
            while (!HandshakeThreadStarted && datagrams.HasPending)
            {
                int length = datagrams.Receive(buffer.AsSpan(), 1);
                if (length > 0)
                    VerifyClientHello(buffer.AsSpan(0, length));
            }
        }
        catch (OperationCanceledException)
        {
            // The attempt ended meanwhile; AbandonUnverified reports it.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void StartHandshakeThread(DtlsRequest? request)
    {
        CancellationTokenSource attempt;
        lock (gate)
        {
            handshakeThreadStarted = true;
            attempt = handshakeAttempt!;
        }
        var callerToken = handshakeCallerToken;
        var completion = handshakeCompletion!;
        Task.Factory.StartNew(() => completion.TrySetResult(RunHandshake(attempt, callerToken, request)),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The attempt ended (timeout, cancel, close) before any ClientHello returned our cookie: no thread ever ran.</summary>
    private void AbandonUnverified()
    {
        DtlsTransportState ended;
        string reason;
        lock (gate)
        {
            if (handshakeThreadStarted)
                return; // the thread reports its own end
            cookieWindowClosed = true; // and none starts from now on
            if (state == DtlsTransportState.Connecting)
            {
                reason = handshakeCallerToken.IsCancellationRequested ? "handshake cancelled by the caller"
                    : lifetime.IsCancellationRequested ? "closed locally during the handshake"
                    : $"DTLS handshake timed out after {options.HandshakeTimeout.TotalSeconds:0.###} s (no ClientHello returned our cookie)";
                state = DtlsTransportState.Failed;
                failureReason = reason;
            }
            else
                reason = failureReason ?? "closed locally during the handshake";
            ended = state;
        }
        if (ended == DtlsTransportState.Failed)
        {
            datagrams.Close();
            RaiseStateChanged(DtlsTransportState.Failed);
        }
        handshakeCompletion!.TrySetResult(new DtlsResult(ended, null, reason, null, Stopwatch.GetElapsedTime(handshakeRequestedTimestamp)));
    }

    /// <summary>Passes BouncyCastle's HelloVerifyRequest to our sender and counts it.</summary>
    private sealed class CountingSender(QueuedDatagramTransport inner) : DatagramSender
    {
        public int Sent { get; private set; }

        public int GetSendLimit() => inner.GetSendLimit();

        public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

        public void Send(ReadOnlySpan<byte> buffer)
        {
            Sent++;
            inner.Send(buffer);
        }
    }

    /// <summary>
    /// Ends the association: sends close_notify when connected, cancels a running handshake. Idempotent,
    /// never throws.
    /// </summary>
    public void Close()
    {
        BcDtlsTransport? toClose;
        lock (gate)
        {
            if (state is DtlsTransportState.Closed or DtlsTransportState.Failed)
                return;
            toClose = connection;
            state = DtlsTransportState.Closed;
            failureReason ??= "closed locally";
        }
        try
        {
            toClose?.Close(); // sends close_notify through the sender
        }
        catch (Exception)
        {
            // The peer is gone either way.
        }
        lifetime.Cancel();
        datagrams.Close();
        RaiseStateChanged(DtlsTransportState.Closed);
    }

    public void Dispose()
    {
        Close();
        lifetime.Dispose();
    }

    private DtlsResult RunHandshake(CancellationTokenSource attempt, CancellationToken callerToken, DtlsRequest? verifiedHello)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            // A verified hello continues the handshake where the cookie exchange left it; without RequireCookie none is asked.
            BcDtlsTransport established = Role == DtlsRole.Server
                ? new DtlsServerProtocol { VerifyRequests = false }.Accept(new SrtpDtlsServer(handshake), datagrams, verifiedHello)
                : new DtlsClientProtocol().Connect(new SrtpDtlsClient(handshake), datagrams);

            bool closedMeanwhile;
            lock (gate)
            {
                closedMeanwhile = state != DtlsTransportState.Connecting;
                if (!closedMeanwhile)
                {
                    connection = established;
                    state = DtlsTransportState.Connected;
                }
            }
            if (closedMeanwhile)
            {
                CloseQuietly(established);
                return new DtlsResult(DtlsTransportState.Closed, null, "closed locally during the handshake", null, Stopwatch.GetElapsedTime(started));
            }
            // From here the datagrams queue is drained by thread-pool work items, not by blocking reads.
            datagrams.SetCancellation(CancellationToken.None);
            RaiseStateChanged(DtlsTransportState.Connected);
            if (datagrams.HasPending)
                ScheduleDrain();
            return new DtlsResult(
                DtlsTransportState.Connected,
                handshake.KeyingMaterial,
                null,
                DtlsHandshakeContext.CipherSuiteName(handshake.CipherSuite),
                Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            string reason = DescribeFailure(exception, attempt, callerToken);
            bool failedNow;
            lock (gate)
            {
                failedNow = state == DtlsTransportState.Connecting;
                if (failedNow)
                {
                    state = DtlsTransportState.Failed;
                    failureReason = reason;
                }
            }
            if (!failedNow)
                return new DtlsResult(DtlsTransportState.Closed, null, "closed locally during the handshake", null, elapsed);
            datagrams.Close();
            RaiseStateChanged(DtlsTransportState.Failed);
            return new DtlsResult(DtlsTransportState.Failed, null, reason, null, elapsed);
        }
        finally
        {
            attempt.Dispose();
        }
    }

    private string DescribeFailure(Exception exception, CancellationTokenSource attempt, CancellationToken callerToken)
    {
        if (handshake.FailureReason is { } own)
            return own;
        if (callerToken.IsCancellationRequested)
            return "handshake cancelled by the caller";
        if (lifetime.IsCancellationRequested)
            return "closed locally during the handshake";
        if (attempt.IsCancellationRequested || HasInner<TlsTimeoutException>(exception))
            return $"DTLS handshake timed out after {options.HandshakeTimeout.TotalSeconds:0.###} s";
        if (FindInner<TlsFatalAlertReceived>(exception) is { } received)
            return $"peer sent fatal alert: {received.Message}";
        if (FindInner<TlsFatalAlert>(exception) is { } raised)
        {
            string detail = raised.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : "";
            return $"handshake failed: {AlertDescription.GetText(raised.AlertDescription)}{detail}";
        }
        return $"handshake failed: {exception.GetType().Name}: {exception.Message}";
    }

    private static bool HasInner<T>(Exception exception) where T : Exception => FindInner<T>(exception) is not null;

    private static T? FindInner<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match)
                return match;
        }
        return null;
    }

    /// <summary>Called by BouncyCastle (handshake thread or drain work item) for every alert received.</summary>
    private void OnAlertReceived(short level, short description)
    {
        bool peerClosed = description == AlertDescription.close_notify;
        bool fatal = level == AlertLevel.fatal;
        if (!peerClosed && !fatal)
            return;
        DtlsTransportState next;
        lock (gate)
        {
            // During the handshake the failure surfaces as an exception from Accept/Connect instead.
            if (state != DtlsTransportState.Connected)
                return;
            next = peerClosed ? DtlsTransportState.Closed : DtlsTransportState.Failed;
            state = next;
            failureReason = peerClosed ? "peer sent close_notify" : $"peer sent fatal alert: {AlertDescription.GetText(description)}";
        }
        // BouncyCastle answers close_notify with its own and closes the datagram transport.
        lifetime.Cancel();
        RaiseStateChanged(next);
        if (peerClosed)
            RaiseClosed();
    }

    private void ScheduleDrain()
    {
        if (Interlocked.CompareExchange(ref draining, 1, 0) != 0)
            return;
        ThreadPool.UnsafeQueueUserWorkItem(static transport => transport.Drain(), this, preferLocal: false);
    }

    /// <summary>
    /// Post-handshake processing: lets BouncyCastle read queued records (retransmitted final flight, alerts).
    /// Application data is not used by DTLS-SRTP and is discarded.
    /// </summary>
    private void Drain()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxReceiveDatagramSize);
        try
        {
            var established = connection;
            while (established is not null && State == DtlsTransportState.Connected && datagrams.HasPending)
            {
                // 1 ms: BouncyCastle treats 0 as "wait forever"; the queue is non-empty so this rarely waits.
                established.Receive(buffer, 0, buffer.Length, 1);
            }
        }
        catch (Exception exception)
        {
            string detail = exception.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : "";
            FailAfterHandshake($"DTLS connection failed: {exception.GetType().Name}: {exception.Message}{detail}");
            LastDrainException = exception;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Volatile.Write(ref draining, 0);
        }
        if (State == DtlsTransportState.Connected && datagrams.HasPending)
            ScheduleDrain();
    }

    internal Exception? LastDrainException { get; private set; }

    private void FailAfterHandshake(string reason)
    {
        lock (gate)
        {
            if (state != DtlsTransportState.Connected)
                return;
            state = DtlsTransportState.Failed;
            failureReason = reason;
        }
        datagrams.Close();
        RaiseStateChanged(DtlsTransportState.Failed);
    }

    private static void CloseQuietly(BcDtlsTransport established)
    {
        try
        {
            established.Close();
        }
        catch (Exception)
        {
            // Best effort.
        }
    }

    private void RaiseStateChanged(DtlsTransportState newState)
    {
        try
        {
            StateChanged?.Invoke(this, newState);
        }
        catch (Exception)
        {
            // A subscriber's bug must not kill the handshake thread or a thread-pool thread.
        }
    }

    private void RaiseClosed()
    {
        try
        {
            Closed?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception)
        {
            // As above.
        }
    }
}
