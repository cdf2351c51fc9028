using MediaPlane.Srtp;

namespace MediaPlane.Relay.Protocol;

/// <summary>
/// The receiving half of one directed relay link (one known peer to this node): picks the key by the
/// header's key id (current or previous, so a rotation loses nothing in flight), drops replays with a
/// sliding 128-packet window over the per-link sequence (RFC 3711 §3.3.2 semantics), and authenticates
/// and decrypts in place. Ownership: the receive loop its peer's datagrams land on (SO_REUSEPORT hashes
/// a peer's address to one socket); key installs are posted to that loop. Not thread-safe.
/// </summary>
public sealed class RelayReceiveLink : IDisposable
{
    private KeySlot _current;
    private KeySlot? _previous;
    private SrtpReplayWindow _window;

    public RelayReceiveLink(RelayLinkKey key) => _current = new KeySlot(key);

    public byte CurrentKeyId => _current.Key.KeyId;

    /// <summary>AEAD operations tried on this link (single writer: the owning loop).</summary>
    public long AuthenticationAttempts { get; private set; }

    public long Opened { get; private set; }

    public long Replayed { get; private set; }

    public long AuthenticationFailures { get; private set; }

    /// <summary>
    /// Makes <paramref name="key"/> current; the current key stays accepted as the previous one, the one
    /// before is dropped. Set-up time (allocates).
    /// </summary>
    public void InstallKey(RelayLinkKey key)
    {
        var retired = _previous;
        _previous = _current;
        _current = new KeySlot(key);
        retired?.Aead.Dispose();
    }

    /// <summary>
    /// Parses, checks key id and replay window, then authenticates and decrypts the payload in place; on
    /// success <paramref name="packet"/>'s payload reads the plaintext. On failure the payload bytes are undefined.
    /// </summary>
    public bool TryOpen(Span<byte> datagram, out RelayV2Packet packet, out RelayOpenError error)
    {
        if (!RelayV2Packet.TryParse(datagram, out packet, out _))
        {
            error = RelayOpenError.Malformed;
            return false;
        }
        var slot = packet.KeyId == _current.Key.KeyId ? _current
            : _previous is not null && packet.KeyId == _previous.Key.KeyId ? _previous
            : null;
        if (slot is null)
        {
            error = RelayOpenError.UnknownKeyId;
            return false;
        }
        ulong sequence = packet.Sequence;
        if (!_window.Check(sequence))
        {
            Replayed++;
            error = RelayOpenError.Replayed;
            return false;
        }
        int headerLength = packet.HeaderLength;
        Span<byte> nonce = stackalloc byte[AesGcmAead.IvLength];
        slot.Key.WriteNonce(sequence, nonce);
        AuthenticationAttempts++;
        if (!slot.Aead.Open(nonce, datagram[..headerLength], datagram[headerLength..^RelayV2Packet.TagLength],
                datagram[^RelayV2Packet.TagLength..]))
        {
            AuthenticationFailures++;
            error = RelayOpenError.AuthenticationFailed;
            return false;
        }
        _window.Accept(sequence);
        Opened++;
        error = RelayOpenError.None;
        return true;
    }

    public void Dispose()
    {
        _current.Aead.Dispose();
        _previous?.Aead.Dispose();
    }

    private sealed class KeySlot(RelayLinkKey key)
    {
        public RelayLinkKey Key { get; } = key;

        public AesGcmAead Aead { get; } = new(key.Key);
    }
}
