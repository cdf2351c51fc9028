namespace MediaPlane.Relay.Protocol;

/// <summary>Why a datagram is not a well-formed relay v2 packet (structure only; crypto is <see cref="RelayOpenError"/>).</summary>
public enum RelayV2ParseError
{
    None,
    /// <summary>First byte outside 4-15, the demultiplexer's relay range (RFC 7983 as updated by RFC 9443).</summary>
    NotRelay,
    /// <summary>A relay byte, but not version 2.</summary>
    UnsupportedVersion,
    /// <summary>Shorter than its header (with its destinations) plus the AEAD tag.</summary>
    TooShort,
    /// <summary>A packet type this version does not define.</summary>
    UnknownType,
    /// <summary>Reserved bits set.</summary>
    ReservedBitsSet,
    /// <summary>Destination count 0, above <see cref="RelayV2Packet.MaxDestinations"/>, or not 1 with a route id.</summary>
    BadDestinationCount,
}
