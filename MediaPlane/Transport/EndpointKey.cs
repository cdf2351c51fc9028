using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaPlane.Transport;

/// <summary>
/// A remote UDP endpoint as a small value, built from a <see cref="SocketAddress"/> without allocating,
/// for looking sessions up by the packet's source (the tuple routing of single-port media).
/// IPv4 addresses are stored IPv4-mapped so both families share one key space.
/// </summary>
public readonly record struct EndpointKey(ulong High, ulong Low, ushort Port)
{
    // Linux sockaddr_in: family(2) port(2, big endian) addr(4); sockaddr_in6: family(2) port(2) flowinfo(4) addr(16).
    public static bool TryCreate(SocketAddress address, out EndpointKey key)
    {
        var bytes = address.Buffer.Span;
        if (address.Family == AddressFamily.InterNetwork && address.Size >= 8)
        {
            ushort port = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(2));
            uint ipv4 = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4));
            key = new EndpointKey(0, 0x0000_FFFF_0000_0000UL | ipv4, port);
            return true;
        }
        if (address.Family == AddressFamily.InterNetworkV6 && address.Size >= 24)
        {
            ushort port = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(2));
            key = new EndpointKey(
                BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(8)),
                BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(16)),
                port);
            return true;
        }
        key = default;
        return false;
    }

    public static EndpointKey From(IPEndPoint endpoint)
    {
        var address = endpoint.Serialize();
        return TryCreate(address, out var key) ? key : throw new ArgumentException($"Unsupported address family {endpoint.AddressFamily}.");
    }

    public IPEndPoint ToIPEndPoint()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.Slice(8), Low);
        var address = new IPAddress(bytes);
        return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, Port);
    }

    public override string ToString() => ToIPEndPoint().ToString();
}
