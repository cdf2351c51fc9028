using System.Buffers.Binary;
using MediaPlane.Srtp;

namespace MediaPlane.Relay.Protocol;

/// <summary>
/// The sending half of one directed relay link (this node to one next hop): assigns the per-link
/// sequence number and key id and seals each packet with AES-128-GCM, the header as associated data.
/// Ownership: one sending thread (the loop the link's streams belong to); not thread-safe. Several loops
/// sending to the same next hop each own one, sharing one <see cref="RelayLinkSequence"/>.
/// </summary>
public sealed class RelaySendLink : IDisposable
{
    private RelayLinkKey _key;
    private AesGcmAead _aead;
    private readonly RelayLinkSequence _sequence;

    /// <param name="firstSequence">Where this link's sequence starts; <see cref="SequenceFromClock"/> keeps a
    /// restarted sender above what it sent before, so no GCM nonce repeats under a key and the peer's replay
    /// window accepts it.</param>
    public RelaySendLink(RelayLinkKey key, ulong firstSequence)
        : this(key, new RelayLinkSequence(firstSequence))
    {
    }

    /// <summary>One of several sending loops' links to the same next hop, sharing <paramref name="sequence"/>.</summary>
    public RelaySendLink(RelayLinkKey key, RelayLinkSequence sequence)
    {
        _key = key;
        _aead = new AesGcmAead(key.Key);
        _sequence = sequence;
    }

    public byte KeyId => _key.KeyId;

    public ulong NextSequence => _sequence.Peek;

    /// <summary>
    /// Microseconds since the Unix epoch: a starting sequence above anything an earlier run of this node
    /// sent, as long as the link averaged under a million packets per second.
    /// </summary>
    public static ulong SequenceFromClock() => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    /// <summary>
    /// Seals with <paramref name="key"/> from now on. Call it only after the receiver installed that key
    /// (<see cref="RelayReceiveLink.InstallKey"/>): it still accepts the old one for packets in flight.
    /// Set-up time (allocates).
    /// </summary>
    public void UseKey(RelayLinkKey key)
    {
        var old = _aead;
        _aead = new AesGcmAead(key.Key);
        _key = key;
        old.Dispose();
    }

    /// <summary>Writes and seals one packet to <paramref name="header"/>'s destination (or route).</summary>
    public bool TrySeal(Span<byte> destination, in RelayV2Header header, ReadOnlySpan<byte> payload, out int written) =>
        TrySeal(destination, header, default, payload, out written);

    /// <summary>Writes and seals one packet for several destination nodes (the header's, then <paramref name="moreDestinations"/>).</summary>
    public bool TrySeal(Span<byte> destination, in RelayV2Header header, ReadOnlySpan<ulong> moreDestinations,
        ReadOnlySpan<byte> payload, out int written)
    {
        // The sequence is taken only once the packet fits, so a refused write leaves no gap.
        if (!RelayV2Writer.TryWrite(destination, header, _key.KeyId, sequence: 0, moreDestinations, payload, out written))
            return false;
        BinaryPrimitives.WriteUInt64BigEndian(destination[RelayV2Packet.SequenceOffset..], _sequence.Take());
        Seal(destination[..written], RelayV2Writer.HeaderLength(1 + moreDestinations.Length));
        return true;
    }

    /// <summary>
    /// Re-seals an opened packet (plaintext in place, from <see cref="RelayReceiveLink.TryOpen"/>) for the next
    /// hop: hop limit minus one, this link's key id and sequence. False when the hop limit is used up
    /// (the packet must be dropped) or the bytes are not a v2 packet.
    /// </summary>
    public bool TryResealForNextHop(Span<byte> opened)
    {
        if (!RelayV2Packet.TryParse(opened, out var packet, out _) || packet.HopLimit == 0)
            return false;
        int headerLength = packet.HeaderLength;
        opened[RelayV2Packet.HopLimitOffset]--;
        opened[RelayV2Packet.KeyIdOffset] = _key.KeyId;
        BinaryPrimitives.WriteUInt64BigEndian(opened[RelayV2Packet.SequenceOffset..], _sequence.Take());
        Seal(opened, headerLength);
        return true;
    }

    private void Seal(Span<byte> datagram, int headerLength)
    {
        Span<byte> nonce = stackalloc byte[AesGcmAead.IvLength];
        _key.WriteNonce(BinaryPrimitives.ReadUInt64BigEndian(datagram[RelayV2Packet.SequenceOffset..]), nonce);
        _aead.Seal(nonce, datagram[..headerLength], datagram[headerLength..^RelayV2Packet.TagLength], datagram[^RelayV2Packet.TagLength..]);
    }

    public void Dispose() => _aead.Dispose();
}
