using System.Collections.Immutable;

namespace Grains.Interfaces.Streams;

[GenerateSerializer, Immutable, Alias("Rtc.StreamInfo")]
public sealed record StreamInfo(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string StreamId,
    [property: Id(2)] string PublisherIdentity,
    [property: Id(3)] StreamKind Kind,
    [property: Id(4)] string Codec,
    [property: Id(5)] ImmutableArray<uint> Ssrcs,
    [property: Id(6)] string OriginSilo,
    [property: Id(7)] DateTimeOffset PublishedAt)
{
    // ImmutableArray compares by reference; snapshots must compare by value.
    public bool Equals(StreamInfo? other) =>
        other is not null && RoomId == other.RoomId && StreamId == other.StreamId
        && PublisherIdentity == other.PublisherIdentity && Kind == other.Kind && Codec == other.Codec
        && Ssrcs.AsSpan().SequenceEqual(other.Ssrcs.AsSpan()) && OriginSilo == other.OriginSilo
        && PublishedAt == other.PublishedAt;

    public override int GetHashCode() => HashCode.Combine(RoomId, StreamId, PublisherIdentity, Kind, Codec, OriginSilo, PublishedAt);
}
