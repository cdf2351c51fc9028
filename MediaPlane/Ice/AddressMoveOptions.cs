namespace MediaPlane.Ice;

/// <summary>
/// Limits on moving a connected session to a new source address (NAT rebinding). A move needs the new
/// address to answer a binding request that we send it (return routability), and moves are rate-limited
/// per session, so that a replayed or spoofed check cannot point a session's media at a third party.
/// </summary>
public sealed record AddressMoveOptions
{
    public static AddressMoveOptions Default { get; } = new();

    /// <summary>Most completed moves per session within <see cref="Window"/>; further moves are refused.</summary>
    public int MaxMovesPerWindow { get; init; } = 4;

    /// <summary>The sliding window for <see cref="MaxMovesPerWindow"/>.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Least time between two checks we send for one session (each verified request from the new address may trigger one).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long an answer to a check we sent is accepted.</summary>
    public TimeSpan CheckLifetime { get; init; } = TimeSpan.FromSeconds(5);

    public void Validate()
    {
        if (MaxMovesPerWindow < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxMovesPerWindow), MaxMovesPerWindow, "must be 0 or more");
        if (Window <= TimeSpan.Zero || CheckInterval < TimeSpan.Zero || CheckLifetime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Window), "the window and check lifetime must be positive and the check interval not negative");
    }
}
