using System.Security.Cryptography;
using System.Text;

namespace MediaPlane.Relay;

/// <summary>
/// The relay's authentication: HMAC-SHA256 (RFC 2104) with the cluster key over header and payload,
/// truncated to its first 96 bits (RFC 2104 §5 allows truncation to no less than half the output and
/// 80 bits). The one-shot <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>
/// allocates nothing per packet and is thread-safe, so one instance serves every receive thread.
/// </summary>
public sealed class RelayAuthenticator
{
    public const int TagLength = 12;
    public const int MinimumKeyLength = 16;

    private readonly byte[] _key;

    public RelayAuthenticator(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyLength)
            throw new ArgumentException($"The relay cluster key must be at least {MinimumKeyLength} bytes.", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>
    /// A key for development clusters that set none: SHA-256 of "relay|clusterId|serviceId". Anyone who
    /// knows those two names can forge relay packets, so production clusters must set Relay:ClusterKey.
    /// </summary>
    public static byte[] DeriveDevelopmentKey(string clusterId, string serviceId) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"relay|{clusterId}|{serviceId}"));

    /// <summary>Writes the truncated tag of <paramref name="authenticated"/> into <paramref name="tag"/> (12 bytes).</summary>
    public void WriteTag(ReadOnlySpan<byte> authenticated, Span<byte> tag)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, authenticated, full);
        full[..TagLength].CopyTo(tag);
    }

    /// <summary>True when the packet's tag is ours (constant-time comparison).</summary>
    public bool Verify(in RelayPacketReader packet)
    {
        Span<byte> expected = stackalloc byte[TagLength];
        WriteTag(packet.Authenticated, expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Tag);
    }
}
