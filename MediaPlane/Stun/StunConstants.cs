namespace MediaPlane.Stun;

/// <summary>STUN message classes (RFC 8489 §5): the two C bits of the message type.</summary>
public enum StunMessageClass : byte
{
    Request = 0b00,
    Indication = 0b01,
    SuccessResponse = 0b10,
    ErrorResponse = 0b11,
}

/// <summary>Fixed numbers of STUN (RFC 8489 §5, §18) and the ICE attributes (RFC 8445 §16.1).</summary>
public static class StunConstants
{
    /// <summary>Magic cookie, RFC 8489 §5.</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>Header: type (2), length (2), cookie (4), transaction id (12).</summary>
    public const int HeaderLength = 20;

    /// <summary>Binding method, RFC 8489 §18.2.</summary>
    public const ushort BindingMethod = 0x001;

    /// <summary>FINGERPRINT XOR constant, RFC 8489 §14.7 ("STUN" in ASCII).</summary>
    public const uint FingerprintXor = 0x5354554E;

    public const int MessageIntegrityLength = 20;
    public const int FingerprintLength = 4;
}

/// <summary>Attribute type codes (RFC 8489 §18.3, RFC 8445 §16.1).</summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;
}

/// <summary>
/// Message type encoding (RFC 8489 §5): method bits M0-M11 interleaved with class bits C0 (bit 4)
/// and C1 (bit 8).
/// <code>
///   0                 1
///   2  3  4 5 6 7 8 9 0 1 2 3 4 5
///  +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///  |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
///  |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
///  +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public static class StunMessageType
{
    public static ushort Encode(ushort method, StunMessageClass messageClass)
    {
        int m = method & 0x0FFF;
        int c = (int)messageClass;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
    }

    public static ushort Method(ushort type) =>
        (ushort)((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));

    public static StunMessageClass Class(ushort type) =>
        (StunMessageClass)(((type >> 4) & 1) | ((type >> 7) & 2));
}
