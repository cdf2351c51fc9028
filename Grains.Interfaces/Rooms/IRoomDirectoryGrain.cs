using System.Collections.Immutable;

namespace Grains.Interfaces.Rooms;

/// <summary>
/// The list of rooms, one grain per deployment (key <see cref="Key"/>). Rooms register themselves
/// on create and update their status on close.
/// </summary>
[Alias("Rtc.IRoomDirectoryGrain")]
public interface IRoomDirectoryGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    [Alias("Register")] Task RegisterAsync(string roomId, RoomStatus status);

    /// <summary>Room ids in order, after <paramref name="afterRoomId"/> (exclusive; empty for the start).</summary>
    [Alias("List")] Task<ImmutableArray<string>> ListAsync(string afterRoomId, int limit, bool includeClosed);
}
