namespace Grains.Interfaces.Streams;

[GenerateSerializer, Immutable, Alias("Rtc.SubscriptionInfo")]
public sealed record SubscriptionInfo(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string StreamId,
    [property: Id(2)] string SubscriberIdentity,
    [property: Id(3)] DateTimeOffset SubscribedAt);
