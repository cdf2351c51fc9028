using System.Collections.Immutable;
using Grains.Interfaces.Recordings;

namespace Grains.Recordings;

/// <summary>The ids of a room's recordings, in start order (see <see cref="IRoomRecordingsGrain"/>).</summary>
public sealed class RoomRecordingsGrain(
    [PersistentState("roomRecordings", StorageNames.Rtc)] IPersistentState<RoomRecordingsState> state) : Grain, IRoomRecordingsGrain
{
    public async Task AddAsync(string recordingId)
    {
        if (state.State.RecordingIds.Contains(recordingId))
            return;
        state.State.RecordingIds.Add(recordingId);
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> ListAsync() => Task.FromResult(state.State.RecordingIds.ToImmutableArray());
}
