using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace MediaPlane.Stun;

/// <summary>
/// HMAC and CRC over a message prefix "as if" the header length field said
/// <c>adjustedLength</c> (RFC 8489 §14.5-§14.7: the length counts up to and including the attribute
/// being computed, ignoring anything after it). Allocation-free: the prefix is copied to the stack
/// (or a pooled array for unusually large messages) so the length can be patched.
/// </summary>
internal static class StunIntegrity
{
    private const int StackLimit = 1024;

    [SkipLocalsInit]
    public static bool ComputeHmac(ReadOnlySpan<byte> prefix, int adjustedLength, ReadOnlySpan<byte> key, bool sha256, Span<byte> mac)
    {
        byte[]? rented = null;
        Span<byte> copy = prefix.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(prefix.Length));
        try
        {
            copy = copy[..prefix.Length];
            prefix.CopyTo(copy);
            BinaryPrimitives.WriteUInt16BigEndian(copy[2..], (ushort)adjustedLength);
            return sha256
                ? HMACSHA256.TryHashData(key, copy, mac, out _)
                : HMACSHA1.TryHashData(key, copy, mac, out _);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>FINGERPRINT value for a prefix (header included) with a patched length.</summary>
    [SkipLocalsInit]
    public static uint ComputeFingerprint(ReadOnlySpan<byte> prefix, int adjustedLength)
    {
        Span<byte> head = stackalloc byte[4];
        prefix[..4].CopyTo(head);
        BinaryPrimitives.WriteUInt16BigEndian(head[2..], (ushort)adjustedLength);
        uint crc = StunCrc32.Update(StunCrc32.Start, head);
        crc = StunCrc32.Update(crc, prefix[4..]);
        return StunCrc32.Finish(crc) ^ StunConstants.FingerprintXor;
    }
}
