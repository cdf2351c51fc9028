using System.Collections.Immutable;
using Grains.Interfaces.Streams;

namespace Grains.Streams;

/// <summary>
/// One published track: codec, SSRCs, origin silo and subscribers. A view the room grain keeps up to date
/// after each change it logs; routing reads it to find where a stream enters the cluster.
/// </summary>
public sealed class StreamGrain(
    [PersistentState("stream", StorageNames.Rtc)] IPersistentState<StreamState> state) : Grain, IStreamGrain
{
    public async Task<StreamInfo> PublishAsync(PublishRequest request, DateTimeOffset at)
    {
        string roomId = GrainKeys.RoomOf(this.GetPrimaryKeyString());
        state.State = new StreamState
        {
            Info = new StreamInfo(roomId, request.StreamId, request.PublisherIdentity, request.Kind, request.Codec,
                request.Ssrcs.IsDefault ? [] : request.Ssrcs, request.OriginSilo, at),
        };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    public async Task UnpublishAsync()
    {
        if (state.State.Info is null && state.State.Subscribers.Count == 0)
            return;
        state.State = new StreamState();
        await state.WriteStateAsync();
    }

    public Task<StreamInfo?> GetAsync() => Task.FromResult(state.State.Info);

    public async Task<SubscriptionInfo> AddSubscriberAsync(string subscriberIdentity, DateTimeOffset at)
    {
        int i = IndexOf(subscriberIdentity);
        if (i >= 0)
            return state.State.Subscribers[i];
        var info = new SubscriptionInfo(GrainKeys.RoomOf(this.GetPrimaryKeyString()),
            GrainKeys.NameOf(this.GetPrimaryKeyString()),
            subscriberIdentity, at);
        state.State.Subscribers.Insert(~i, info);
        await state.WriteStateAsync();
        return info;
    }

    public async Task RemoveSubscriberAsync(string subscriberIdentity)
    {
        int i = IndexOf(subscriberIdentity);
        if (i < 0)
            return;
        state.State.Subscribers.RemoveAt(i);
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<SubscriptionInfo>> GetSubscribersAsync() => Task.FromResult(state.State.Subscribers.ToImmutableArray());

    private int IndexOf(string identity)
    {
        var list = state.State.Subscribers;
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            int c = string.CompareOrdinal(list[mid].SubscriberIdentity, identity);
            if (c == 0)
                return mid;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return ~lo;
    }
}
