using System.Collections.Immutable;
using Grains.Interfaces.Rooms;

namespace Grains.Rooms;

/// <summary>
/// The deployment's list of rooms. One grain and one state row: fine for thousands of rooms; a deployment
/// with millions would shard it by a hash of the room id.
/// </summary>
public sealed class RoomDirectoryGrain(
    [PersistentState("rooms", StorageNames.Rtc)] IPersistentState<RoomDirectoryState> state) : Grain, IRoomDirectoryGrain
{
    private string[]? _sorted;

    public async Task RegisterAsync(string roomId, RoomStatus status)
    {
        if (state.State.Rooms.TryGetValue(roomId, out var known) && known == status)
            return;
        state.State.Rooms[roomId] = status;
        _sorted = null;
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> ListAsync(string afterRoomId, int limit, bool includeClosed)
    {
        if (limit <= 0)
            throw new RoomException(RoomErrorCode.Invalid, "limit must be positive.");
        _sorted ??= state.State.Rooms.Keys.Order(StringComparer.Ordinal).ToArray();
        int start = 0;
        if (!string.IsNullOrEmpty(afterRoomId))
        {
            start = Array.BinarySearch(_sorted, afterRoomId, StringComparer.Ordinal);
            start = start >= 0 ? start + 1 : ~start;
        }
        var page = ImmutableArray.CreateBuilder<string>();
        for (int i = start; i < _sorted.Length && page.Count < limit; i++)
        {
            if (includeClosed || state.State.Rooms[_sorted[i]] == RoomStatus.Open)
                page.Add(_sorted[i]);
        }
        return Task.FromResult(page.ToImmutable());
    }
}
