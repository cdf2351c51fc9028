using System.Collections.Immutable;

namespace Grains.Interfaces.Streams;

/// <summary>A participant's request to publish one track.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.PublishRequest")]
public sealed record PublishRequest(
    [property: Id(0)] string PublisherIdentity,
    [property: Id(1)] string StreamId,
    [property: Id(2)] StreamKind Kind,
    [property: Id(3)] string Codec,
    [property: Id(4)] ImmutableArray<uint> Ssrcs,
    [property: Id(5)] string OriginSilo);
