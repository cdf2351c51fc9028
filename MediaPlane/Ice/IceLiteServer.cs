using System.Collections.Concurrent;
using MediaPlane.Stun;
using MediaPlane.Transport;

namespace MediaPlane.Ice;

/// <summary>
/// The ICE-lite side of the single media port (RFC 8445 §2.5): answers binding requests whose USERNAME
/// is "localUfrag:remoteUfrag" and whose MESSAGE-INTEGRITY verifies with the session's password, and
/// learns the client's address from the request's source, never from SDP candidates. The first address
/// is taken on nomination (USE-CANDIDATE; DTLS then starts with a cookie exchange). After that a verified
/// request from a new address (NAT rebinding, or a replayed check with a spoofed source) does not move the
/// session: we send that address a check of our own, signed with the client's password, and move only when
/// it answers (<see cref="AddressMoveGuard"/>, rate-limited by <see cref="AddressMoveOptions"/>). Until then
/// media from the new address is dropped, since everything but STUN is routed by the session's address.
/// Unverifiable STUN is dropped and counted.
/// </summary>
public sealed class IceLiteServer<TSession> where TSession : class, IIceSession
{
    // RFC 8445 §5.1.2.1 priority of a host candidate with local preference 65535, component 1: what our one candidate is.
    private const uint HostCandidatePriority = (126u << 24) | (65535u << 8) | 255u;
    private const int CheckBufferLength = 512; // USERNAME is at most 2 × 256 + 1 bytes of ufrags; a longer one is not sent

    private readonly long[] _counters = new long[Enum.GetValues<IceLiteOutcome>().Length];
    private readonly SessionTable<TSession> _sessions;
    private readonly AddressMoveOptions _moves;
    private readonly ulong _tieBreaker = (ulong)Random.Shared.NextInt64();
    // Our checks in flight, by transaction id: at most one per session (a newer check replaces it in the guard,
    // and a stale entry here is ignored and swept), so the map stays as small as the number of moving sessions.
    private readonly ConcurrentDictionary<TransactionId, (TSession Session, long SentTicks)> _checks = new();

    public IceLiteServer(SessionTable<TSession> sessions, AddressMoveOptions? moves = null)
    {
        _sessions = sessions;
        _moves = moves ?? AddressMoveOptions.Default;
        _moves.Validate();
    }

    public long Count(IceLiteOutcome outcome) => Interlocked.Read(ref _counters[(int)outcome]);

    /// <summary>Checks we sent that were neither answered nor expired yet (tests, diagnostics).</summary>
    public int ChecksInFlight => _checks.Count;

    /// <summary>Handles one STUN datagram; replies (if any) go out of the receiving socket.</summary>
    public IceLiteOutcome Handle(ReadOnlySpan<byte> datagram, in ReceivedDatagram meta, long nowTicks)
    {
        var outcome = Decide(datagram, meta, nowTicks);
        Interlocked.Increment(ref _counters[(int)outcome]);
        return outcome;
    }

    private IceLiteOutcome Decide(ReadOnlySpan<byte> datagram, in ReceivedDatagram meta, long nowTicks)
    {
        if (!StunMessageReader.TryParse(datagram, out var request, out _))
            return IceLiteOutcome.DroppedMalformed;
        if (request.HasFingerprint && !request.VerifyFingerprint())
            return IceLiteOutcome.DroppedMalformed;
        if (request.Class == StunMessageClass.SuccessResponse && request.Method == StunConstants.BindingMethod)
            return OnCheckAnswered(request, meta, nowTicks);
        if (!request.IsBindingRequest)
            return IceLiteOutcome.DroppedNotBindingRequest; // we expect no other requests, and no responses but to our checks

        if (!request.TryGetUsername(out var username))
            return AnswerHealthCheck(request, datagram.Length, meta);

        if (!StunUsername.TrySplit(username, out var localUfrag, out var remoteUfrag)
            || !_sessions.TryGetByUfrag(localUfrag, out var session) || session is null)
            return IceLiteOutcome.DroppedUnknownUfrag;
        if (!SessionTable<TSession>.RemoteUfragMatches(session, remoteUfrag))
            return IceLiteOutcome.DroppedRemoteUfragMismatch;
        if (!request.HasMessageIntegrity || !request.VerifyMessageIntegrity(session.LocalCredentials.PasswordBytes))
            return IceLiteOutcome.DroppedBadIntegrity;

        var outcome = IceLiteOutcome.Answered;
        var current = session.RemoteEndpoint;
        if (current is null && request.UseCandidate)
        {
            if (!_sessions.TryBindEndpoint(session, meta.Remote, null))
                return IceLiteOutcome.DroppedAddressInUse;
            session.MoveTo(meta.Remote, meta.Socket.CopyAddress(meta.RemoteAddress), meta.Socket);
            outcome = IceLiteOutcome.Nominated;
        }
        else if (current is not null && current != meta.Remote)
        {
            outcome = AskNewAddress(session, request, meta, nowTicks);
            if (outcome != IceLiteOutcome.MoveCheckSent && outcome != IceLiteOutcome.MoveCheckPending)
                return outcome;
        }
        else if (current is not null)
            session.AddressMoves.Cancel(); // the client is (back) on its address: a pending move is moot

        // Consent (RFC 7675) is refreshed only from the session's own address: a replayed check from elsewhere keeps nothing alive.
        if (outcome is IceLiteOutcome.Answered or IceLiteOutcome.Nominated)
            session.RefreshConsent(nowTicks);
        Span<byte> response = stackalloc byte[IceLiteBinding.MaxSuccessResponseLength];
        if (IceLiteBinding.TryWriteSuccessResponse(request, meta.RemoteAddress, session.LocalCredentials.PasswordBytes, response, out int written))
            meta.Socket.SendTo(response[..written], meta.RemoteAddress);
        return outcome;
    }

    /// <summary>
    /// A verified request from an address that is not the session's: send that address a check (RFC 8445 §7.2.2:
    /// USERNAME "remoteUfrag:localUfrag", the client's password, ICE-CONTROLLED since a lite agent is controlled),
    /// unless one is out already or the session moved too often. The request itself is answered by the caller (the
    /// answer is smaller than the request, so a spoofed source gains no amplification).
    /// </summary>
    private IceLiteOutcome AskNewAddress(TSession session, in StunMessageReader request, in ReceivedDatagram meta, long nowTicks)
    {
        if (session.RemotePasswordBytes is not { } remotePassword)
            return IceLiteOutcome.DroppedMoveUncheckable;
        if (_sessions.TryGetByEndpoint(meta.Remote, out var owner) && owner is not null && !ReferenceEquals(owner, session))
            return IceLiteOutcome.DroppedAddressInUse;
        var decision = session.AddressMoves.OnRequestFromNewAddress(
            meta.Remote, meta.Socket.CopyAddress(meta.RemoteAddress), meta.Socket, nowTicks, _moves, out var transaction);
        if (decision == MoveCheckDecision.RateLimited)
            return IceLiteOutcome.DroppedMoveRateLimited;
        if (decision == MoveCheckDecision.Wait)
            return IceLiteOutcome.MoveCheckPending;

        SweepExpiredChecks(nowTicks);
        Span<byte> check = stackalloc byte[CheckBufferLength];
        if (!TryWriteCheck(session, transaction, remotePassword, check, out int length))
            return IceLiteOutcome.DroppedMoveUncheckable;
        _checks[transaction] = (session, nowTicks);
        meta.Socket.SendTo(check[..length], meta.RemoteAddress);
        return IceLiteOutcome.MoveCheckSent;
    }

    private bool TryWriteCheck(TSession session, in TransactionId transaction, byte[] remotePassword, Span<byte> destination, out int written)
    {
        written = 0;
        string remoteUfrag = session.RemoteUfrag, localUfrag = session.LocalCredentials.Ufrag;
        int usernameLength = remoteUfrag.Length + 1 + localUfrag.Length;
        if (usernameLength > 2 * 256 + 1)
            return false;
        Span<byte> username = stackalloc byte[usernameLength];
        for (int i = 0; i < remoteUfrag.Length; i++)
            username[i] = (byte)remoteUfrag[i];
        username[remoteUfrag.Length] = (byte)':';
        for (int i = 0; i < localUfrag.Length; i++)
            username[remoteUfrag.Length + 1 + i] = (byte)localUfrag[i];
        if (!StunMessageWriter.TryCreate(destination, StunConstants.BindingMethod, StunMessageClass.Request, transaction, out var writer)
            || !writer.TryAddUsername(username)
            || !writer.TryAddPriority(HostCandidatePriority)
            || !writer.TryAddIceControlled(_tieBreaker)
            || !writer.TryAddMessageIntegrity(remotePassword)
            || !writer.TryAddFingerprint())
            return false;
        written = writer.Length;
        return true;
    }

    /// <summary>
    /// A binding success response: an answer to one of our checks moves its session, if it is signed with the
    /// client's password and comes from the address the check went to (RFC 8445 §7.2.5.2.1: symmetric addresses).
    /// </summary>
    private IceLiteOutcome OnCheckAnswered(in StunMessageReader response, in ReceivedDatagram meta, long nowTicks)
    {
        var transaction = response.TransactionId;
        if (!_checks.TryGetValue(transaction, out var check))
            return IceLiteOutcome.DroppedUnexpectedResponse;
        var session = check.Session;
        if (session.RemotePasswordBytes is not { } remotePassword
            || !response.HasMessageIntegrity || !response.VerifyMessageIntegrity(remotePassword))
            return IceLiteOutcome.DroppedBadIntegrity;
        if (!session.AddressMoves.TryConfirm(transaction, meta.Remote, nowTicks, _moves, out var address, out var socket))
            return IceLiteOutcome.DroppedUnexpectedResponse;
        _checks.TryRemove(transaction, out _);
        var current = session.RemoteEndpoint;
        if (!_sessions.TryGetByUfrag(session.LocalCredentials.Ufrag, out var live) || !ReferenceEquals(live, session))
            return IceLiteOutcome.DroppedUnexpectedResponse; // closed meanwhile
        if (!_sessions.TryBindEndpoint(session, meta.Remote, current))
            return IceLiteOutcome.DroppedAddressInUse;
        session.MoveTo(meta.Remote, address!, socket!);
        session.RefreshConsent(nowTicks);
        return IceLiteOutcome.Rebound;
    }

    private void SweepExpiredChecks(long nowTicks)
    {
        if (_checks.IsEmpty)
            return;
        long lifetime = (long)_moves.CheckLifetime.TotalMilliseconds;
        foreach (var (transaction, check) in _checks)
        {
            if (nowTicks - check.SentTicks > lifetime)
                _checks.TryRemove(transaction, out _);
        }
    }

    /// <summary>
    /// Health checks from load balancers carry no credentials; tell them the port is alive. The answer is never
    /// longer than the request, so a spoofed source cannot use the port as an amplifier: XOR-MAPPED-ADDRESS and
    /// FINGERPRINT are added only when the request was long enough to cover them (a bare 20-byte request gets
    /// a bare 20-byte success response).
    /// </summary>
    private static IceLiteOutcome AnswerHealthCheck(in StunMessageReader request, int requestLength, in ReceivedDatagram meta)
    {
        Span<byte> response = stackalloc byte[IceLiteBinding.MaxSuccessResponseLength];
        if (!StunMessageWriter.TryCreate(response, request.Method, StunMessageClass.SuccessResponse, request.TransactionId, out var writer))
            return IceLiteOutcome.DroppedMalformed;
        int mappedLength = 4 + (meta.RemoteAddress.Family == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? StunXorAddress.IPv6ValueLength : StunXorAddress.IPv4ValueLength);
        if (writer.Length + mappedLength <= requestLength)
            writer.TryAddXorMappedAddress(meta.RemoteAddress);
        if (writer.Length + StunFingerprintLength <= requestLength)
            writer.TryAddFingerprint();
        meta.Socket.SendTo(writer.Written, meta.RemoteAddress);
        return IceLiteOutcome.HealthCheckAnswered;
    }

    private const int StunFingerprintLength = 8; // RFC 8489 §14.7: 4-byte attribute header + CRC-32
}
