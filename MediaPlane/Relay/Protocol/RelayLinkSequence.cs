namespace MediaPlane.Relay.Protocol;

/// <summary>
/// The per-link sequence counter of one directed link. Several sending loops may each own a
/// <see cref="RelaySendLink"/> towards the same next hop (each with its own AES context); they must share
/// this counter, because the sequence is the GCM nonce: two loops counting on their own would reuse nonces
/// under the same key. Thread-safe (one interlocked increment per packet).
/// </summary>
public sealed class RelayLinkSequence(ulong first)
{
    private ulong _next = first;

    /// <summary>The number the next packet will carry.</summary>
    public ulong Peek => Volatile.Read(ref _next);

    /// <summary>Takes the next number (never the same twice).</summary>
    public ulong Take() => Interlocked.Increment(ref _next) - 1;
}
