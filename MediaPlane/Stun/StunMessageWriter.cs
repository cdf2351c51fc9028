using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace MediaPlane.Stun;

/// <summary>
/// Builds a STUN message (RFC 8489 §5, §14) into a caller-owned buffer. Each attribute is appended
/// with its padding and the header length kept current, so MESSAGE-INTEGRITY and FINGERPRINT are
/// computed over exactly the bytes before them with the length that includes them (§14.5-§14.7).
/// Every method returns false, leaving the message as it was, when the buffer is too small.
/// </summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    private StunMessageWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = StunConstants.HeaderLength;
    }

    /// <summary>Starts a message: writes the header with length 0.</summary>
    public static bool TryCreate(Span<byte> buffer, ushort method, StunMessageClass messageClass, in TransactionId transactionId, out StunMessageWriter writer)
    {
        writer = default;
        if (buffer.Length < StunConstants.HeaderLength || method > 0x0FFF)
            return false;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, StunMessageType.Encode(method, messageClass));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunConstants.MagicCookie);
        transactionId.WriteTo(buffer[8..]);
        writer = new StunMessageWriter(buffer);
        return true;
    }

    /// <summary>Bytes written so far (the whole message, header included).</summary>
    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>Appends any attribute.</summary>
    public bool TryAddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        if (!TryReserve(type, value.Length, out var destination))
            return false;
        value.CopyTo(destination);
        return true;
    }

    public bool TryAddUsername(scoped ReadOnlySpan<byte> username) => TryAddAttribute(StunAttributeType.Username, username);

    public bool TryAddPriority(uint priority)
    {
        if (!TryReserve(StunAttributeType.Priority, 4, out var value))
            return false;
        BinaryPrimitives.WriteUInt32BigEndian(value, priority);
        return true;
    }

    public bool TryAddUseCandidate() => TryReserve(StunAttributeType.UseCandidate, 0, out _);

    public bool TryAddIceControlling(ulong tieBreaker) => TryAddUInt64(StunAttributeType.IceControlling, tieBreaker);

    public bool TryAddIceControlled(ulong tieBreaker) => TryAddUInt64(StunAttributeType.IceControlled, tieBreaker);

    /// <summary>ERROR-CODE (RFC 8489 §14.8), code 300-699, reason as UTF-8 (at most 763 bytes).</summary>
    public bool TryAddErrorCode(int code, scoped ReadOnlySpan<byte> reasonUtf8)
    {
        if (code is < 300 or > 699 || reasonUtf8.Length > 763)
            return false;
        if (!TryReserve(StunAttributeType.ErrorCode, 4 + reasonUtf8.Length, out var value))
            return false;
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        reasonUtf8.CopyTo(value[4..]);
        return true;
    }

    /// <summary>XOR-MAPPED-ADDRESS from raw address bytes (4 or 16).</summary>
    public bool TryAddXorMappedAddress(scoped ReadOnlySpan<byte> address, ushort port)
    {
        int length = address.Length == 4 ? StunXorAddress.IPv4ValueLength : StunXorAddress.IPv6ValueLength;
        if (address.Length is not (4 or 16) || !TryReserve(StunAttributeType.XorMappedAddress, length, out var value))
            return false;
        return StunXorAddress.TryEncode(address, port, _buffer.Slice(8, TransactionId.Length), value, out _);
    }

    /// <summary>XOR-MAPPED-ADDRESS from a socket address (no allocation).</summary>
    public bool TryAddXorMappedAddress(SocketAddress socketAddress)
    {
        Span<byte> address = stackalloc byte[16];
        return StunXorAddress.TryGetAddress(socketAddress, address, out int length, out ushort port)
               && TryAddXorMappedAddress(address[..length], port);
    }

    /// <summary>XOR-MAPPED-ADDRESS from an endpoint (no allocation).</summary>
    public bool TryAddXorMappedAddress(IPEndPoint endPoint)
    {
        Span<byte> address = stackalloc byte[16];
        return StunXorAddress.TryGetAddress(endPoint, address, out int length, out ushort port)
               && TryAddXorMappedAddress(address[..length], port);
    }

    /// <summary>MESSAGE-INTEGRITY, HMAC-SHA1 over everything written so far (RFC 8489 §14.5).</summary>
    public bool TryAddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        int start = _length;
        if (!TryReserve(StunAttributeType.MessageIntegrity, StunConstants.MessageIntegrityLength, out var value))
            return false;
        if (HMACSHA1.TryHashData(key, _buffer[..start], value, out _))
            return true;
        Rollback(start);
        return false;
    }

    /// <summary>MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), full 32 bytes.</summary>
    public bool TryAddMessageIntegritySha256(scoped ReadOnlySpan<byte> key)
    {
        int start = _length;
        if (!TryReserve(StunAttributeType.MessageIntegritySha256, 32, out var value))
            return false;
        if (HMACSHA256.TryHashData(key, _buffer[..start], value, out _))
            return true;
        Rollback(start);
        return false;
    }

    /// <summary>FINGERPRINT (RFC 8489 §14.7); must be the last attribute.</summary>
    public bool TryAddFingerprint()
    {
        int start = _length;
        if (!TryReserve(StunAttributeType.Fingerprint, StunConstants.FingerprintLength, out var value))
            return false;
        uint crc = StunCrc32.Compute(_buffer[..start]) ^ StunConstants.FingerprintXor;
        BinaryPrimitives.WriteUInt32BigEndian(value, crc);
        return true;
    }

    private bool TryAddUInt64(ushort type, ulong number)
    {
        if (!TryReserve(type, 8, out var value))
            return false;
        BinaryPrimitives.WriteUInt64BigEndian(value, number);
        return true;
    }

    private bool TryReserve(ushort type, int valueLength, out Span<byte> value)
    {
        value = default;
        int padded = (valueLength + 3) & ~3;
        if (valueLength > ushort.MaxValue || _buffer.Length - _length < 4 + padded
            || _length + 4 + padded - StunConstants.HeaderLength > ushort.MaxValue)
            return false;
        var attribute = _buffer.Slice(_length, 4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(attribute, type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute[2..], (ushort)valueLength);
        attribute[(4 + valueLength)..].Clear();
        _length += 4 + padded;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunConstants.HeaderLength));
        value = attribute.Slice(4, valueLength);
        return true;
    }

    private void Rollback(int length)
    {
        _length = length;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunConstants.HeaderLength));
    }
}
