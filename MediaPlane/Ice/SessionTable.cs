using System.Collections.Concurrent;
using MediaPlane.Transport;

namespace MediaPlane.Ice;

/// <summary>
/// The silo's sessions, found two ways without allocating: by our ICE ufrag (the first half of a STUN
/// USERNAME, as bytes off the wire) and by the client's address once a verified binding request taught
/// us it. Shared by every receive thread of the media port.
/// </summary>
public sealed class SessionTable<TSession> where TSession : class, ISessionEntry
{
    private const int MaxUfragLength = 256; // RFC 8839 §5.4 bounds ice-ufrag at 256 chars.

    private readonly ConcurrentDictionary<string, TSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TSession>.AlternateLookup<ReadOnlySpan<char>> _byUfragSpan;
    private readonly ConcurrentDictionary<EndpointKey, TSession> _byEndpoint = new();

    public SessionTable() => _byUfragSpan = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _byUfrag.Count;

    public IEnumerable<TSession> Sessions => _byUfrag.Values;

    /// <summary>Adds a session under its local ufrag; false if that ufrag is taken.</summary>
    public bool TryAdd(TSession session) => _byUfrag.TryAdd(session.LocalCredentials.Ufrag, session);

    public bool TryGetByUfrag(string ufrag, out TSession? session) => _byUfrag.TryGetValue(ufrag, out session);

    /// <summary>Looks a session up by ufrag bytes from a STUN USERNAME (ASCII), allocation-free.</summary>
    public bool TryGetByUfrag(ReadOnlySpan<byte> ufragAscii, out TSession? session)
    {
        session = null;
        if (ufragAscii.IsEmpty || ufragAscii.Length > MaxUfragLength)
            return false;
        Span<char> chars = stackalloc char[ufragAscii.Length];
        for (int i = 0; i < ufragAscii.Length; i++)
        {
            byte b = ufragAscii[i];
            if (b is < 0x21 or > 0x7E)
                return false; // ice-chars are printable ASCII; anything else cannot be one of ours
            chars[i] = (char)b;
        }
        return _byUfragSpan.TryGetValue(chars, out session);
    }

    public bool TryGetByEndpoint(EndpointKey endpoint, out TSession? session) => _byEndpoint.TryGetValue(endpoint, out session);

    /// <summary>
    /// Points <paramref name="endpoint"/> at the session after a verified request (nomination or NAT
    /// rebinding). The old address of the session stops routing to it. Returns false if the address
    /// belongs to another live session, which keeps it: one client cannot take over another's tuple.
    /// </summary>
    public bool TryBindEndpoint(TSession session, EndpointKey endpoint, EndpointKey? previous)
    {
        var current = _byEndpoint.GetOrAdd(endpoint, session);
        if (!ReferenceEquals(current, session))
            return false;
        if (previous is { } old && old != endpoint)
            _byEndpoint.TryRemove(new KeyValuePair<EndpointKey, TSession>(old, session));
        return true;
    }

    /// <summary>
    /// Files a session under its new local ufrag after an ICE restart and forgets the previous one, so
    /// checks with the old credentials no longer find it. False (nothing changed) if the new ufrag is taken.
    /// </summary>
    public bool TryRekey(TSession session, string previousUfrag)
    {
        if (!_byUfrag.TryAdd(session.LocalCredentials.Ufrag, session))
            return false;
        _byUfrag.TryRemove(new KeyValuePair<string, TSession>(previousUfrag, session));
        return true;
    }

    /// <summary>Removes a session and its address binding.</summary>
    public bool Remove(TSession session)
    {
        bool removed = _byUfrag.TryRemove(new KeyValuePair<string, TSession>(session.LocalCredentials.Ufrag, session));
        if (session.RemoteEndpoint is { } endpoint)
            _byEndpoint.TryRemove(new KeyValuePair<EndpointKey, TSession>(endpoint, session));
        return removed;
    }

    /// <summary>
    /// Sessions whose consent has expired (RFC 7675 §5.1: 30 s without a verified STUN request).
    /// Sessions never connected expire on the same clock from their creation.
    /// </summary>
    public List<TSession> CollectExpired(long nowTicks, TimeSpan consentTimeout)
    {
        var expired = new List<TSession>();
        long limit = (long)consentTimeout.TotalMilliseconds;
        foreach (var session in _byUfrag.Values)
        {
            if (nowTicks - session.LastConsentTicks > limit)
                expired.Add(session);
        }
        return expired;
    }

    /// <summary>True when <paramref name="remoteUfrag"/> (ASCII bytes) equals the session's remote ufrag.</summary>
    public static bool RemoteUfragMatches(TSession session, ReadOnlySpan<byte> remoteUfrag)
    {
        string expected = session.RemoteUfrag;
        if (expected.Length != remoteUfrag.Length)
            return false;
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != remoteUfrag[i])
                return false;
        }
        return true;
    }
}
