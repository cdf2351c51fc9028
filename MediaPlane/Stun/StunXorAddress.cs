using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaPlane.Stun;

/// <summary>
/// XOR-MAPPED-ADDRESS value encoding (RFC 8489 §14.2).
/// <code>
///   0                   1                   2                   3
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                X-Address (Variable)
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// X-Port is the port XOR the cookie's top 16 bits; X-Address is the address XOR the cookie (IPv4)
/// or XOR the cookie followed by the transaction id (IPv6).
/// </summary>
public static class StunXorAddress
{
    public const byte FamilyIPv4 = 0x01;
    public const byte FamilyIPv6 = 0x02;
    public const int IPv4ValueLength = 8;
    public const int IPv6ValueLength = 20;

    /// <summary>Writes the value for a raw address (4 or 16 bytes). Returns false if it does not fit.</summary>
    public static bool TryEncode(ReadOnlySpan<byte> address, ushort port, ReadOnlySpan<byte> transactionId, Span<byte> value, out int written)
    {
        written = 0;
        int needed = address.Length switch { 4 => IPv4ValueLength, 16 => IPv6ValueLength, _ => -1 };
        if (needed < 0 || value.Length < needed || transactionId.Length < TransactionId.Length)
            return false;
        value[0] = 0;
        value[1] = address.Length == 4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(port ^ (StunConstants.MagicCookie >> 16)));
        Xor(address, transactionId, value.Slice(4, address.Length));
        written = needed;
        return true;
    }

    /// <summary>Reads a value into a raw address (4 or 16 bytes written to <paramref name="address"/>).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        if (value.Length < 4 || transactionId.Length < TransactionId.Length)
            return false;
        int length = value[1] switch { FamilyIPv4 => 4, FamilyIPv6 => 16, _ => -1 };
        if (length < 0 || value.Length != 4 + length || address.Length < length)
            return false;
        port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (StunConstants.MagicCookie >> 16));
        Xor(value.Slice(4, length), transactionId, address[..length]);
        addressLength = length;
        return true;
    }

    /// <summary>
    /// Raw address and port of a <see cref="SocketAddress"/> (sockaddr_in / sockaddr_in6 layout: port
    /// in network order at offset 2, IPv4 address at 4, IPv6 address at 8). An IPv4-mapped IPv6
    /// address (a dual-stack socket) comes out as the 4-byte IPv4 address.
    /// </summary>
    public static bool TryGetAddress(SocketAddress socketAddress, Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        ReadOnlySpan<byte> raw = socketAddress.Buffer.Span[..socketAddress.Size];
        if (raw.Length < 8 || address.Length < 4)
            return false;
        port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
        switch (socketAddress.Family)
        {
            case AddressFamily.InterNetwork:
                raw.Slice(4, 4).CopyTo(address);
                addressLength = 4;
                return true;
            case AddressFamily.InterNetworkV6:
                if (raw.Length < 24)
                    return false;
                return CopyV6(raw.Slice(8, 16), address, out addressLength);
            default:
                return false;
        }
    }

    /// <summary>Raw address and port of an <see cref="IPEndPoint"/>, mapped IPv4 folded to IPv4.</summary>
    public static bool TryGetAddress(IPEndPoint endPoint, Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = (ushort)endPoint.Port;
        Span<byte> raw = stackalloc byte[16];
        if (!endPoint.Address.TryWriteBytes(raw, out int length))
            return false;
        if (length == 4)
        {
            if (address.Length < 4)
                return false;
            raw[..4].CopyTo(address);
            addressLength = 4;
            return true;
        }
        return CopyV6(raw, address, out addressLength);
    }

    private static bool CopyV6(ReadOnlySpan<byte> v6, Span<byte> address, out int addressLength)
    {
        bool mapped = v6[..10].IndexOfAnyExcept((byte)0) < 0 && v6[10] == 0xFF && v6[11] == 0xFF;
        if (mapped)
        {
            v6.Slice(12, 4).CopyTo(address);
            addressLength = 4;
            return true;
        }
        if (address.Length < 16)
        {
            addressLength = 0;
            return false;
        }
        v6.CopyTo(address);
        addressLength = 16;
        return true;
    }

    private static void Xor(ReadOnlySpan<byte> source, ReadOnlySpan<byte> transactionId, Span<byte> destination)
    {
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunConstants.MagicCookie);
        transactionId[..TransactionId.Length].CopyTo(mask[4..]);
        for (int i = 0; i < source.Length; i++)
            destination[i] = (byte)(source[i] ^ mask[i]);
    }
}
