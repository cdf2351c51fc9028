namespace MediaPlane.Ice;

/// <summary>What the ICE-lite server did with one STUN datagram; each value has a counter.</summary>
public enum IceLiteOutcome
{
    /// <summary>A binding request without USERNAME: a load balancer's health check, answered plainly (never larger than the request).</summary>
    HealthCheckAnswered,
    /// <summary>A verified connectivity check, answered; the session's address is unchanged.</summary>
    Answered,
    /// <summary>A verified check with USE-CANDIDATE: the request's source is now the session's address.</summary>
    Nominated,
    /// <summary>The new address of a nominated session answered our check (NAT rebinding): moved.</summary>
    Rebound,
    DroppedMalformed,
    DroppedNotBindingRequest,
    DroppedUnknownUfrag,
    DroppedRemoteUfragMismatch,
    DroppedBadIntegrity,
    /// <summary>The source address belongs to another live session, which keeps it.</summary>
    DroppedAddressInUse,
    /// <summary>A verified check from a new address of a nominated session: answered, and we sent that address a check; no move yet.</summary>
    MoveCheckSent,
    /// <summary>As <see cref="MoveCheckSent"/>, but our check to that address is recent, so none was sent again.</summary>
    MoveCheckPending,
    /// <summary>A verified check from a new address of a session that moved too often (<see cref="AddressMoveOptions"/>): refused.</summary>
    DroppedMoveRateLimited,
    /// <summary>A verified check from a new address, but the client's password is unknown, so no check can be sent: refused.</summary>
    DroppedMoveUncheckable,
    /// <summary>A binding success response that answers none of our live checks, or comes from another address than the check went to.</summary>
    DroppedUnexpectedResponse,
}
