using MediaPlane.Stun;
using MediaPlane.Transport;

namespace MediaPlane.Ice;

/// <summary>
/// The ICE-lite side of the single media port (RFC 8445 §2.5): answers binding requests whose USERNAME
/// is "localUfrag:remoteUfrag" and whose MESSAGE-INTEGRITY verifies with the session's password, and
/// learns the client's address from the request's source, never from SDP candidates. The first address
/// is taken on nomination (USE-CANDIDATE); after that, any verified request from a new address moves the
/// session (NAT rebinding). Unverifiable STUN is dropped and counted.
/// </summary>
public sealed class IceLiteServer<TSession>(SessionTable<TSession> sessions) where TSession : class, IIceSession
{
    private readonly long[] _counters = new long[Enum.GetValues<IceLiteOutcome>().Length];

    public long Count(IceLiteOutcome outcome) => Interlocked.Read(ref _counters[(int)outcome]);

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
        if (!request.IsBindingRequest)
            return IceLiteOutcome.DroppedNotBindingRequest; // a lite agent sends no requests, so expects no responses
        if (request.HasFingerprint && !request.VerifyFingerprint())
            return IceLiteOutcome.DroppedMalformed;

        Span<byte> response = stackalloc byte[IceLiteBinding.MaxSuccessResponseLength];
        if (!request.TryGetUsername(out var username))
        {
            // Health checks from load balancers carry no credentials; tell them the port is alive.
            if (StunMessageWriter.TryCreate(response, request.Method, StunMessageClass.SuccessResponse, request.TransactionId, out var writer)
                && writer.TryAddXorMappedAddress(meta.RemoteAddress) && writer.TryAddFingerprint())
                meta.Socket.SendTo(writer.Written, meta.RemoteAddress);
            return IceLiteOutcome.HealthCheckAnswered;
        }

        if (!StunUsername.TrySplit(username, out var localUfrag, out var remoteUfrag)
            || !sessions.TryGetByUfrag(localUfrag, out var session) || session is null)
            return IceLiteOutcome.DroppedUnknownUfrag;
        if (!SessionTable<TSession>.RemoteUfragMatches(session, remoteUfrag))
            return IceLiteOutcome.DroppedRemoteUfragMismatch;
        if (!request.HasMessageIntegrity || !request.VerifyMessageIntegrity(session.LocalCredentials.PasswordBytes))
            return IceLiteOutcome.DroppedBadIntegrity;

        var outcome = IceLiteOutcome.Answered;
        var current = session.RemoteEndpoint;
        if (current != meta.Remote && (request.UseCandidate || current is not null))
        {
            if (!sessions.TryBindEndpoint(session, meta.Remote, current))
                return IceLiteOutcome.DroppedAddressInUse;
            session.MoveTo(meta.Remote, meta.Socket.CopyAddress(meta.RemoteAddress), meta.Socket);
            outcome = current is null ? IceLiteOutcome.Nominated : IceLiteOutcome.Rebound;
        }

        session.RefreshConsent(nowTicks);
        if (IceLiteBinding.TryWriteSuccessResponse(request, meta.RemoteAddress, session.LocalCredentials.PasswordBytes, response, out int written))
            meta.Socket.SendTo(response[..written], meta.RemoteAddress);
        return outcome;
    }
}
