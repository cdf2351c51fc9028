using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaPlane.Relay.Protocol;

/// <summary>
/// Per-link, per-epoch relay keys from the cluster key with HKDF-SHA256 (RFC 5869):
/// PRK = HKDF-Extract(salt = "rtc relay v2", IKM = cluster key), then for the directed link sender to
/// receiver in epoch e: OKM = HKDF-Expand(PRK, info = "rtc relay v2 link" || sender (8) || receiver (8) || e (4), 28),
/// key = OKM[0..16), salt = OKM[16..28). Every node derives every key itself; no key crosses the network.
/// Set-up time only (allocates); thread-safe.
/// </summary>
public sealed class RelayKeyDerivation
{
    public const int MinimumClusterKeyLength = 16;

    private static readonly byte[] ExtractSalt = "rtc relay v2"u8.ToArray();
    private static readonly byte[] LinkLabel = "rtc relay v2 link"u8.ToArray();

    private readonly byte[] _pseudoRandomKey = new byte[SHA256.HashSizeInBytes];

    public RelayKeyDerivation(ReadOnlySpan<byte> clusterKey)
    {
        if (clusterKey.Length < MinimumClusterKeyLength)
            throw new ArgumentException($"The relay cluster key must be at least {MinimumClusterKeyLength} bytes.", nameof(clusterKey));
        HKDF.Extract(HashAlgorithmName.SHA256, clusterKey, ExtractSalt, _pseudoRandomKey);
    }

    /// <summary>The key <paramref name="sender"/> seals with and <paramref name="receiver"/> opens with in <paramref name="epoch"/>.</summary>
    public RelayLinkKey DeriveLinkKey(ulong sender, ulong receiver, uint epoch)
    {
        Span<byte> info = stackalloc byte[LinkLabel.Length + 20];
        LinkLabel.CopyTo(info);
        BinaryPrimitives.WriteUInt64BigEndian(info[LinkLabel.Length..], sender);
        BinaryPrimitives.WriteUInt64BigEndian(info[(LinkLabel.Length + 8)..], receiver);
        BinaryPrimitives.WriteUInt32BigEndian(info[(LinkLabel.Length + 16)..], epoch);
        Span<byte> output = stackalloc byte[RelayLinkKey.KeyLength + RelayLinkKey.SaltLength];
        HKDF.Expand(HashAlgorithmName.SHA256, _pseudoRandomKey, output, info);
        var key = new RelayLinkKey((byte)epoch, output[..RelayLinkKey.KeyLength], output[RelayLinkKey.KeyLength..]);
        CryptographicOperations.ZeroMemory(output);
        return key;
    }
}
