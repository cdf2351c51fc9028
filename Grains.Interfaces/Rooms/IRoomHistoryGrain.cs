namespace Grains.Interfaces.Rooms;

/// <summary>
/// Rebuilds a room's past state from its event log away from the room grain (a stateless worker, key
/// <see cref="Key"/>): a replay of a long log takes as long as reading it, and the room keeps taking joins meanwhile.
/// </summary>
[Alias("Rtc.IRoomHistoryGrain")]
public interface IRoomHistoryGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    /// <summary>The state of <paramref name="roomId"/> at <paramref name="at"/>, from its log alone (empty when it had no events then).</summary>
    [Alias("GetStateAt")] Task<RoomSnapshot> GetStateAtAsync(string roomId, DateTimeOffset at);
}
