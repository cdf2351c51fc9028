using System.Collections.Immutable;

namespace Grains.Interfaces.Events;

/// <summary>A page of a room's log. <see cref="NextAfter"/> is the cursor for the next page (null at the end).</summary>
[GenerateSerializer, Immutable, Alias("Rtc.RoomEventPage")]
public sealed record RoomEventPage(
    [property: Id(0)] ImmutableArray<RoomEvent> Events,
    [property: Id(1)] long? NextAfter);
