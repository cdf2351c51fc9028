using System.Buffers.Binary;

namespace MediaPlane.Relay.Protocol;

/// <summary>
/// AES-128-GCM key and 12-byte salt of one directed link (sender node to receiver node) in one key epoch,
/// from <see cref="RelayKeyDerivation"/>. <see cref="KeyId"/> is the epoch's low byte, carried in every
/// header so a receiver picks the key without trying each (it keeps the current and the previous one).
/// </summary>
public sealed class RelayLinkKey
{
    public const int KeyLength = 16;
    public const int SaltLength = 12;

    public RelayLinkKey(byte keyId, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        if (key.Length != KeyLength || salt.Length != SaltLength)
            throw new ArgumentException($"A relay link key is {KeyLength} bytes of key and {SaltLength} of salt.");
        KeyId = keyId;
        Key = key.ToArray();
        Salt = salt.ToArray();
    }

    public byte KeyId { get; }

    internal byte[] Key { get; }

    internal byte[] Salt { get; }

    /// <summary>
    /// The GCM nonce of packet <paramref name="sequence"/>: salt XOR (four zero bytes || sequence, big endian),
    /// the construction of RFC 7714 §8.1. The sequence never repeats on a link, so neither does the nonce.
    /// </summary>
    internal void WriteNonce(ulong sequence, Span<byte> nonce)
    {
        Salt.CopyTo(nonce);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ sequence;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], low);
    }
}
