using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MediaPlane.Relay;

/// <summary>
/// 64-bit ids of rooms, streams and nodes in relay headers: the first 8 bytes (big endian) of SHA-256
/// of the id's UTF-8 string. Computed at set-up time (it allocates), never per packet. With 64 bits a
/// collision among even a million ids has a probability around 3e-8.
/// </summary>
public static class RelayIds
{
    public static ulong Hash(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
