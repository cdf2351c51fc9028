using System.Collections.Immutable;

namespace Grains.Interfaces.Streams;

/// <summary>
/// One published track, keyed by <c>RoomIds.StreamKey(room, streamId)</c>: its codec, SSRCs, origin
/// silo and subscribers. Called by the room grain, which decides.
/// </summary>
[Alias("Rtc.IStreamGrain")]
public interface IStreamGrain : IGrainWithStringKey
{
    [Alias("Publish")] Task<StreamInfo> PublishAsync(PublishRequest request, DateTimeOffset at);

    [Alias("Unpublish")] Task UnpublishAsync();

    /// <summary>Null when not currently published.</summary>
    [Alias("Get")] Task<StreamInfo?> GetAsync();

    [Alias("AddSubscriber")] Task<SubscriptionInfo> AddSubscriberAsync(string subscriberIdentity, DateTimeOffset at);

    [Alias("RemoveSubscriber")] Task RemoveSubscriberAsync(string subscriberIdentity);

    [Alias("GetSubscribers")] Task<ImmutableArray<SubscriptionInfo>> GetSubscribersAsync();
}
