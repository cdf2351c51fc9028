namespace MediaPlane.Stun;

/// <summary>Why <see cref="StunMessageReader.TryParse"/> rejected a datagram.</summary>
public enum StunParseError
{
    None = 0,
    /// <summary>Fewer than 20 bytes.</summary>
    TooShort,
    /// <summary>The two most significant bits are not zero (RFC 8489 §5).</summary>
    NotStun,
    /// <summary>The magic cookie is not 0x2112A442.</summary>
    BadMagicCookie,
    /// <summary>Message length is not a multiple of 4.</summary>
    BadLength,
    /// <summary>The header announces more bytes than the datagram holds.</summary>
    Truncated,
    /// <summary>An attribute runs past the end of the message.</summary>
    AttributeOverrun,
    /// <summary>A known attribute has a length its definition forbids.</summary>
    InvalidAttribute,
    /// <summary>Something follows FINGERPRINT, which must be last (RFC 8489 §14.7).</summary>
    AttributeAfterFingerprint,
}
