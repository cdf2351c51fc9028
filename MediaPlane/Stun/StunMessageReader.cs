using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace MediaPlane.Stun;

/// <summary>
/// A parsed STUN message over the caller's bytes (RFC 8489 §5, §14). Parsing walks the attributes
/// once and remembers where the ones ICE needs are; nothing is copied or allocated.
/// <code>
///   0                   1                   2                   3
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |0 0|     STUN Message Type     |         Message Length        |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                         Magic Cookie                          |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                     Transaction ID (96 bits)                  |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |         Type                  |            Length             |  (attributes, TLV,
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   padded to 4 bytes)
///  |                         Value (variable)                ....
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are
/// ignored (§14.5); anything after FINGERPRINT is an error (§14.7).
/// </summary>
public readonly ref struct StunMessageReader
{
    private const int Absent = -1;

    private readonly ReadOnlySpan<byte> _message;
    // Offsets of attribute headers (type at offset) within _message, or Absent.
    private readonly int _username;
    private readonly int _integrity;
    private readonly int _integritySha256;
    private readonly int _fingerprint;
    private readonly int _xorMappedAddress;
    private readonly int _errorCode;
    private readonly int _priority;
    private readonly int _useCandidate;
    private readonly int _iceControlling;
    private readonly int _iceControlled;

    private StunMessageReader(ReadOnlySpan<byte> message, int username, int integrity, int integritySha256, int fingerprint,
        int xorMappedAddress, int errorCode, int priority, int useCandidate, int iceControlling, int iceControlled)
    {
        _message = message;
        _username = username;
        _integrity = integrity;
        _integritySha256 = integritySha256;
        _fingerprint = fingerprint;
        _xorMappedAddress = xorMappedAddress;
        _errorCode = errorCode;
        _priority = priority;
        _useCandidate = useCandidate;
        _iceControlling = iceControlling;
        _iceControlled = iceControlled;
    }

    /// <summary>
    /// Parses a STUN message at the start of <paramref name="datagram"/>. Bytes beyond the length in
    /// the header are ignored. Never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessageReader reader, out StunParseError error)
    {
        reader = default;
        if (datagram.Length < StunConstants.HeaderLength)
            return Fail(StunParseError.TooShort, out error);
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        if ((type & 0xC000) != 0)
            return Fail(StunParseError.NotStun, out error);
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != StunConstants.MagicCookie)
            return Fail(StunParseError.BadMagicCookie, out error);
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((length & 3) != 0)
            return Fail(StunParseError.BadLength, out error);
        if (length > datagram.Length - StunConstants.HeaderLength)
            return Fail(StunParseError.Truncated, out error);

        var message = datagram[..(StunConstants.HeaderLength + length)];
        int username = Absent, integrity = Absent, integritySha256 = Absent, fingerprint = Absent, xorMapped = Absent,
            errorCode = Absent, priority = Absent, useCandidate = Absent, controlling = Absent, controlled = Absent;
        bool afterIntegrity = false;
        int offset = StunConstants.HeaderLength;
        while (offset < message.Length)
        {
            if (fingerprint != Absent)
                return Fail(StunParseError.AttributeAfterFingerprint, out error);
            if (message.Length - offset < 4)
                return Fail(StunParseError.AttributeOverrun, out error);
            ushort attributeType = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            int padded = (valueLength + 3) & ~3;
            if (padded > message.Length - offset - 4)
                return Fail(StunParseError.AttributeOverrun, out error);

            switch (attributeType)
            {
                case StunAttributeType.MessageIntegrity:
                    if (valueLength != StunConstants.MessageIntegrityLength)
                        return Fail(StunParseError.InvalidAttribute, out error);
                    if (!afterIntegrity)
                        integrity = offset;
                    afterIntegrity = true;
                    break;
                case StunAttributeType.MessageIntegritySha256:
                    if (valueLength < 16 || valueLength > 32 || (valueLength & 3) != 0)
                        return Fail(StunParseError.InvalidAttribute, out error);
                    if (integritySha256 == Absent)
                        integritySha256 = offset;
                    afterIntegrity = true;
                    break;
                case StunAttributeType.Fingerprint:
                    if (valueLength != StunConstants.FingerprintLength)
                        return Fail(StunParseError.InvalidAttribute, out error);
                    fingerprint = offset;
                    break;
                default:
                    if (afterIntegrity)
                        break;
                    if (!Remember(attributeType, valueLength, offset, ref username, ref xorMapped, ref errorCode, ref priority,
                            ref useCandidate, ref controlling, ref controlled))
                        return Fail(StunParseError.InvalidAttribute, out error);
                    break;
            }
            offset += 4 + padded;
        }

        reader = new StunMessageReader(message, username, integrity, integritySha256, fingerprint, xorMapped, errorCode,
            priority, useCandidate, controlling, controlled);
        error = StunParseError.None;
        return true;
    }

    private static bool Remember(ushort type, int length, int offset, ref int username, ref int xorMapped, ref int errorCode,
        ref int priority, ref int useCandidate, ref int controlling, ref int controlled)
    {
        switch (type)
        {
            case StunAttributeType.Username:
                if (length > 513) // RFC 8489 §14.3: less than 509 bytes after SASLprep, at most 763 before; be firm.
                    return false;
                First(ref username, offset);
                return true;
            case StunAttributeType.XorMappedAddress:
                if (length != StunXorAddress.IPv4ValueLength && length != StunXorAddress.IPv6ValueLength)
                    return false;
                First(ref xorMapped, offset);
                return true;
            case StunAttributeType.ErrorCode:
                if (length < 4)
                    return false;
                First(ref errorCode, offset);
                return true;
            case StunAttributeType.Priority:
                if (length != 4)
                    return false;
                First(ref priority, offset);
                return true;
            case StunAttributeType.UseCandidate:
                if (length != 0)
                    return false;
                First(ref useCandidate, offset);
                return true;
            case StunAttributeType.IceControlling:
                if (length != 8)
                    return false;
                First(ref controlling, offset);
                return true;
            case StunAttributeType.IceControlled:
                if (length != 8)
                    return false;
                First(ref controlled, offset);
                return true;
            default:
                return true;
        }
    }

    private static void First(ref int slot, int offset)
    {
        if (slot == Absent)
            slot = offset;
    }

    private static bool Fail(StunParseError reason, out StunParseError error)
    {
        error = reason;
        return false;
    }

    /// <summary>The message bytes: header and attributes, exactly as long as the header says.</summary>
    public ReadOnlySpan<byte> Message => _message;

    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_message);

    public ushort Method => StunMessageType.Method(MessageType);

    public StunMessageClass Class => StunMessageType.Class(MessageType);

    public bool IsBindingRequest => MessageType == StunMessageType.Encode(StunConstants.BindingMethod, StunMessageClass.Request);

    /// <summary>The 12 transaction id bytes.</summary>
    public ReadOnlySpan<byte> TransactionIdBytes => _message.Slice(8, TransactionId.Length);

    public TransactionId TransactionId => TransactionId.Read(TransactionIdBytes);

    public bool HasMessageIntegrity => _integrity != Absent;

    public bool HasMessageIntegritySha256 => _integritySha256 != Absent;

    public bool HasFingerprint => _fingerprint != Absent;

    /// <summary>USE-CANDIDATE (RFC 8445 §16.1) present.</summary>
    public bool UseCandidate => _useCandidate != Absent;

    /// <summary>USERNAME value (for ICE: "remoteUfrag:localUfrag" as seen by the receiver).</summary>
    public bool TryGetUsername(out ReadOnlySpan<byte> username) => TryValue(_username, out username);

    /// <summary>PRIORITY (RFC 8445 §16.1).</summary>
    public bool TryGetPriority(out uint priority)
    {
        priority = TryValue(_priority, out var value) ? BinaryPrimitives.ReadUInt32BigEndian(value) : 0;
        return _priority != Absent;
    }

    /// <summary>ICE-CONTROLLING tie-breaker (RFC 8445 §16.1).</summary>
    public bool TryGetIceControlling(out ulong tieBreaker)
    {
        tieBreaker = TryValue(_iceControlling, out var value) ? BinaryPrimitives.ReadUInt64BigEndian(value) : 0;
        return _iceControlling != Absent;
    }

    /// <summary>ICE-CONTROLLED tie-breaker (RFC 8445 §16.1).</summary>
    public bool TryGetIceControlled(out ulong tieBreaker)
    {
        tieBreaker = TryValue(_iceControlled, out var value) ? BinaryPrimitives.ReadUInt64BigEndian(value) : 0;
        return _iceControlled != Absent;
    }

    /// <summary>
    /// ERROR-CODE (RFC 8489 §14.8): code = class * 100 + number; reason is UTF-8. False when the
    /// class is not 3-6 or the number exceeds 99.
    /// <code>
    ///  |           Reserved, should be 0         |Class|     Number    |
    ///  |      Reason Phrase (variable)                                ..
    /// </code>
    /// </summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason)
    {
        code = 0;
        reason = default;
        if (!TryValue(_errorCode, out var value))
            return false;
        int errorClass = value[2] & 0x07;
        if (errorClass is < 3 or > 6 || value[3] > 99)
            return false; // §14.8: class 3-6, number 0-99
        code = errorClass * 100 + value[3];
        reason = value[4..];
        return true;
    }

    /// <summary>XOR-MAPPED-ADDRESS as raw address bytes (4 or 16) and port, allocation-free.</summary>
    public bool TryGetXorMappedAddress(Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        return TryValue(_xorMappedAddress, out var value)
               && StunXorAddress.TryDecode(value, TransactionIdBytes, address, out addressLength, out port);
    }

    /// <summary>XOR-MAPPED-ADDRESS as an <see cref="IPEndPoint"/> (allocates; not for the hot path).</summary>
    public bool TryGetXorMappedAddress(out IPEndPoint? endPoint)
    {
        Span<byte> address = stackalloc byte[16];
        endPoint = null;
        if (!TryGetXorMappedAddress(address, out int length, out ushort port))
            return false;
        endPoint = new IPEndPoint(new IPAddress(address[..length]), port);
        return true;
    }

    /// <summary>
    /// Value of the first attribute of <paramref name="type"/> that counts (before MESSAGE-INTEGRITY,
    /// or the integrity and fingerprint attributes themselves).
    /// </summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        value = default;
        int offset = StunConstants.HeaderLength;
        bool afterIntegrity = false;
        while (offset + 4 <= _message.Length)
        {
            ushort attributeType = BinaryPrimitives.ReadUInt16BigEndian(_message[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(_message[(offset + 2)..]);
            bool counts = !afterIntegrity || attributeType is StunAttributeType.MessageIntegritySha256 or StunAttributeType.Fingerprint;
            if (attributeType == type && counts)
            {
                value = _message.Slice(offset + 4, length);
                return true;
            }
            if (attributeType is StunAttributeType.MessageIntegrity or StunAttributeType.MessageIntegritySha256)
                afterIntegrity = true;
            offset += 4 + ((length + 3) & ~3);
        }
        return false;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) with <paramref name="key"/>: the ICE
    /// password bytes for short-term credentials, or MD5(username ":" realm ":" password) for
    /// long-term ones (<see cref="StunCredentials.ComputeLongTermKey"/>). Constant-time compare.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (_integrity == Absent)
            return false;
        Span<byte> mac = stackalloc byte[20];
        int adjusted = _integrity + 4 + StunConstants.MessageIntegrityLength - StunConstants.HeaderLength;
        if (!StunIntegrity.ComputeHmac(_message[.._integrity], adjusted, key, sha256: false, mac))
            return false;
        return CryptographicOperations.FixedTimeEquals(mac, _message.Slice(_integrity + 4, StunConstants.MessageIntegrityLength));
    }

    /// <summary>Checks MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), possibly truncated to 16-28 bytes.</summary>
    public bool VerifyMessageIntegritySha256(ReadOnlySpan<byte> key)
    {
        if (_integritySha256 == Absent)
            return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(_message[(_integritySha256 + 2)..]);
        Span<byte> mac = stackalloc byte[32];
        int adjusted = _integritySha256 + 4 + length - StunConstants.HeaderLength;
        if (!StunIntegrity.ComputeHmac(_message[.._integritySha256], adjusted, key, sha256: true, mac))
            return false;
        return CryptographicOperations.FixedTimeEquals(mac[..length], _message.Slice(_integritySha256 + 4, length));
    }

    /// <summary>Checks FINGERPRINT (RFC 8489 §14.7). False when absent.</summary>
    public bool VerifyFingerprint()
    {
        if (_fingerprint == Absent)
            return false;
        uint expected = StunIntegrity.ComputeFingerprint(_message[.._fingerprint], _fingerprint + 8 - StunConstants.HeaderLength);
        return BinaryPrimitives.ReadUInt32BigEndian(_message[(_fingerprint + 4)..]) == expected;
    }

    private bool TryValue(int offset, out ReadOnlySpan<byte> value)
    {
        if (offset == Absent)
        {
            value = default;
            return false;
        }
        value = _message.Slice(offset + 4, BinaryPrimitives.ReadUInt16BigEndian(_message[(offset + 2)..]));
        return true;
    }
}
