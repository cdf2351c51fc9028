namespace MediaPlane.Relay.Protocol;

/// <summary>Why a received relay v2 datagram was dropped, in the order the checks run.</summary>
public enum RelayOpenError
{
    None,
    /// <summary>The source address is not a known relay endpoint: dropped before parsing or any crypto.</summary>
    UnknownSender,
    /// <summary>Not a well-formed v2 packet (<see cref="RelayV2ParseError"/>).</summary>
    Malformed,
    /// <summary>Sealed under a key id that is neither the link's current nor its previous one.</summary>
    UnknownKeyId,
    /// <summary>A sequence number already received, or older than the replay window.</summary>
    Replayed,
    /// <summary>The AEAD tag does not match: tampered, or another key.</summary>
    AuthenticationFailed,
}
