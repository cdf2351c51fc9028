using System.Collections.Immutable;
using Grains.Interfaces.Rooms;
using Microsoft.Extensions.Options;

namespace Grains.Rooms;

/// <summary>
/// The deployment's list of rooms. One grain and one state row: fine for thousands of rooms; a deployment
/// with millions would shard it by a hash of the room id. Closed rooms are forgotten after
/// <see cref="RoomDirectoryOptions.ClosedRoomRetention"/> (checked as rooms register, at most once per retention
/// or minute), so the list holds the open rooms and the recently closed ones.
/// </summary>
public sealed class RoomDirectoryGrain(
    [PersistentState("rooms", StorageNames.Rtc)] IPersistentState<RoomDirectoryState> state,
    IOptions<RoomDirectoryOptions> options,
    TimeProvider clock) : Grain, IRoomDirectoryGrain
{
    private string[]? _sorted;
    private DateTimeOffset _nextPrune;

    public async Task RegisterAsync(string roomId, RoomStatus status)
    {
        bool pruned = Prune();
        if (state.State.Rooms.TryGetValue(roomId, out var known) && known == status)
        {
            if (pruned)
                await state.WriteStateAsync();
            return;
        }
        state.State.Rooms[roomId] = status;
        if (status == RoomStatus.Closed)
            state.State.ClosedAt[roomId] = clock.GetUtcNow();
        else
            state.State.ClosedAt.Remove(roomId);
        _sorted = null;
        await state.WriteStateAsync();
    }

    /// <summary>Forgets rooms closed longer than the retention; true when it changed anything.</summary>
    private bool Prune()
    {
        var now = clock.GetUtcNow();
        if (now < _nextPrune)
            return false;
        var retention = options.Value.ClosedRoomRetention;
        _nextPrune = now + (retention < TimeSpan.FromMinutes(1) ? retention : TimeSpan.FromMinutes(1));
        bool changed = false;
        foreach (var (roomId, status) in state.State.Rooms.Where(r => r.Value == RoomStatus.Closed).ToList())
        {
            if (!state.State.ClosedAt.TryGetValue(roomId, out var closedAt))
            {
                // Closed before closing times were kept: the retention starts now.
                state.State.ClosedAt[roomId] = now;
                changed = true;
            }
            else if (now - closedAt >= retention)
            {
                state.State.Rooms.Remove(roomId);
                state.State.ClosedAt.Remove(roomId);
                changed = true;
            }
        }
        if (changed)
            _sorted = null;
        return changed;
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
