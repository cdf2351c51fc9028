namespace MediaPlane.Ice;

/// <summary>What the ICE-lite server did with one STUN datagram; each value has a counter.</summary>
public enum IceLiteOutcome
{
    /// <summary>A binding request without USERNAME: a load balancer's health check, answered plainly.</summary>
    HealthCheckAnswered,
    /// <summary>A verified connectivity check, answered; the session's address is unchanged.</summary>
    Answered,
    /// <summary>A verified check with USE-CANDIDATE: the request's source is now the session's address.</summary>
    Nominated,
    /// <summary>A verified check from a new address of a nominated session (NAT rebinding): moved.</summary>
    Rebound,
    DroppedMalformed,
    DroppedNotBindingRequest,
    DroppedUnknownUfrag,
    DroppedRemoteUfragMismatch,
    DroppedBadIntegrity,
    /// <summary>The source address belongs to another live session, which keeps it.</summary>
    DroppedAddressInUse,
}
