using Grains.Events;
using Grains.Interfaces.Rooms;
using Orleans.Concurrency;

namespace Grains.Rooms;

/// <summary>Replays room logs off the room grains' turns; see <see cref="IRoomHistoryGrain"/>.</summary>
[StatelessWorker]
public sealed class RoomHistoryGrain(IRoomEventStore events) : Grain, IRoomHistoryGrain
{
    public Task<RoomSnapshot> GetStateAtAsync(string roomId, DateTimeOffset at)
    {
        RoomRules.Id(roomId, "room id");
        return events.ReplayAsync(roomId, at);
    }
}
