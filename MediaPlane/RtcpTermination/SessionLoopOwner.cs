namespace MediaPlane.RtcpTermination;

/// <summary>
/// Which receive loop owns a publisher session's per-transport feedback state (transport-cc, REMB): the first loop
/// to see a packet; another loop takes over only after the owner has been silent for a second (the client's
/// packets now reach another socket of the port). Lock-free; a loop that is not the owner leaves the state alone.
/// </summary>
internal struct SessionLoopOwner
{
    private const long OwnerSilenceForTakeOverMs = 1000;
    private object? _owner;
    private long _ownerSeenTicks;

    public bool TryOwn(object loop, long nowTicks)
    {
        var owner = Volatile.Read(ref _owner);
        if (owner != loop)
        {
            if (owner is not null && nowTicks - Volatile.Read(ref _ownerSeenTicks) < OwnerSilenceForTakeOverMs)
                return false;
            if (Interlocked.CompareExchange(ref _owner, loop, owner) != owner)
                return false;
        }
        Volatile.Write(ref _ownerSeenTicks, nowTicks);
        return true;
    }
}
