using System.Net;
using MediaPlane.Stun;
using MediaPlane.Transport;

namespace MediaPlane.Ice;

/// <summary>
/// One session's pending address move (RFC 8445 §7.2.5.2.1-style return routability, done by the lite side):
/// a verified request from a new address makes us send that address a check; the session moves only when a
/// success response with the client's MESSAGE-INTEGRITY comes back from exactly that address, and at most
/// <see cref="AddressMoveOptions.MaxMovesPerWindow"/> times per window. Requests from several addresses can
/// arrive on different receive loops, hence the lock; this runs once per check, never per media packet.
/// </summary>
public sealed class AddressMoveGuard
{
    private readonly Lock _gate = new();
    private readonly Queue<long> _recentMoves = new();
    private EndpointKey? _candidate;
    private SocketAddress? _candidateAddress;
    private UdpReceiveSocket? _candidateSocket;
    private TransactionId _transaction;
    private long _sentTicks = long.MinValue / 2;

    /// <summary>What to do about a verified request from <paramref name="from"/>, which is not the session's address.</summary>
    /// <returns><see cref="MoveCheckDecision.SendCheck"/> with a fresh transaction id, <see cref="MoveCheckDecision.Wait"/>
    /// while a recent check is out, or <see cref="MoveCheckDecision.RateLimited"/>.</returns>
    public MoveCheckDecision OnRequestFromNewAddress(EndpointKey from, SocketAddress address, UdpReceiveSocket socket,
        long nowTicks, AddressMoveOptions options, out TransactionId transaction)
    {
        lock (_gate)
        {
            transaction = default;
            ForgetOldMoves(nowTicks, options);
            if (_recentMoves.Count >= options.MaxMovesPerWindow)
                return MoveCheckDecision.RateLimited;
            if (_candidate == from && nowTicks - _sentTicks < (long)options.CheckInterval.TotalMilliseconds)
                return MoveCheckDecision.Wait;
            _candidate = from;
            _candidateAddress = address;
            _candidateSocket = socket;
            _transaction = TransactionId.NewRandom();
            _sentTicks = nowTicks;
            transaction = _transaction;
            return MoveCheckDecision.SendCheck;
        }
    }

    /// <summary>
    /// True when <paramref name="transaction"/> answers our pending check from the address it was sent to, in time
    /// and within the rate: the move is then counted and the candidate handed back. The caller has verified integrity.
    /// </summary>
    public bool TryConfirm(in TransactionId transaction, EndpointKey from, long nowTicks, AddressMoveOptions options,
        out SocketAddress? address, out UdpReceiveSocket? socket)
    {
        lock (_gate)
        {
            address = null;
            socket = null;
            if (_candidate != from || !transaction.Equals(_transaction)
                || nowTicks - _sentTicks > (long)options.CheckLifetime.TotalMilliseconds)
                return false;
            ForgetOldMoves(nowTicks, options);
            if (_recentMoves.Count >= options.MaxMovesPerWindow)
                return false;
            _recentMoves.Enqueue(nowTicks);
            address = _candidateAddress;
            socket = _candidateSocket;
            Clear();
            return address is not null && socket is not null;
        }
    }

    /// <summary>Drops a pending check (the client came back to its current address, or the session moved).</summary>
    public void Cancel()
    {
        lock (_gate)
            Clear();
    }

    private void Clear()
    {
        _candidate = null;
        _candidateAddress = null;
        _candidateSocket = null;
        _transaction = default;
        _sentTicks = long.MinValue / 2;
    }

    private void ForgetOldMoves(long nowTicks, AddressMoveOptions options)
    {
        long window = (long)options.Window.TotalMilliseconds;
        while (_recentMoves.TryPeek(out long oldest) && nowTicks - oldest > window)
            _recentMoves.Dequeue();
    }
}
