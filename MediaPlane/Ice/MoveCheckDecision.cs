namespace MediaPlane.Ice;

/// <summary>See <see cref="AddressMoveGuard.OnRequestFromNewAddress"/>.</summary>
public enum MoveCheckDecision
{
    SendCheck,
    Wait,
    RateLimited,
}
