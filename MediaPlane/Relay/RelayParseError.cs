namespace MediaPlane.Relay;

/// <summary>Why a datagram is not a usable relay packet.</summary>
public enum RelayParseError
{
    None,
    /// <summary>Shorter than the fixed header plus the authentication tag.</summary>
    TooShort,
    /// <summary>First byte outside 4-15, the demultiplexer's relay range (RFC 7983 as updated by RFC 9443).</summary>
    NotRelay,
    /// <summary>A relay version this node does not speak.</summary>
    UnsupportedVersion,
    /// <summary>A payload kind this version does not define.</summary>
    UnknownKind,
    /// <summary>Reserved flag bits set.</summary>
    ReservedBitsSet,
}
