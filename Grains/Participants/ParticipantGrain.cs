using System.Collections.Immutable;
using Grains.Interfaces.Participants;

namespace Grains.Participants;

/// <summary>
/// One participant of one room: a view the room grain keeps up to date after each change it logs. The
/// room decides; this grain only records.
/// </summary>
public sealed class ParticipantGrain(
    [PersistentState("participant", StorageNames.Rtc)] IPersistentState<ParticipantState> state) : Grain, IParticipantGrain
{
    public async Task<ParticipantInfo> JoinAsync(JoinRequest request, DateTimeOffset at)
    {
        string roomId = GrainKeys.RoomOf(this.GetPrimaryKeyString());
        state.State = new ParticipantState
        {
            Info = new ParticipantInfo(roomId, request.Identity, request.Permissions, at, request.Metadata),
        };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    public async Task LeaveAsync()
    {
        if (state.State.Info is null && state.State.Published.Count == 0 && state.State.Subscriptions.Count == 0 && state.State.Sessions.Count == 0)
            return;
        state.State = new ParticipantState();
        await state.WriteStateAsync();
    }

    public Task<ParticipantInfo?> GetAsync() => Task.FromResult(state.State.Info);

    public Task AddPublishedAsync(string streamId) => ChangeAsync(state.State.Published, streamId, add: true);

    public Task RemovePublishedAsync(string streamId) => ChangeAsync(state.State.Published, streamId, add: false);

    public Task AddSubscriptionAsync(string streamId) => ChangeAsync(state.State.Subscriptions, streamId, add: true);

    public Task RemoveSubscriptionAsync(string streamId) => ChangeAsync(state.State.Subscriptions, streamId, add: false);

    public Task AddSessionAsync(string sessionId) => ChangeAsync(state.State.Sessions, sessionId, add: true);

    public Task RemoveSessionAsync(string sessionId) => ChangeAsync(state.State.Sessions, sessionId, add: false);

    public Task<ImmutableArray<string>> GetSessionsAsync() => Task.FromResult(state.State.Sessions.ToImmutableArray());

    public Task<ImmutableArray<string>> GetPublishedAsync() => Task.FromResult(state.State.Published.ToImmutableArray());

    public Task<ImmutableArray<string>> GetSubscriptionsAsync() => Task.FromResult(state.State.Subscriptions.ToImmutableArray());

    private async Task ChangeAsync(List<string> set, string streamId, bool add)
    {
        int i = set.BinarySearch(streamId, StringComparer.Ordinal);
        if (add == i >= 0)
            return;
        if (add)
            set.Insert(~i, streamId);
        else
            set.RemoveAt(i);
        await state.WriteStateAsync();
    }
}
