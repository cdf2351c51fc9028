namespace Grains.Interfaces.Rooms;

/// <summary>A room as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.RoomInfo")]
public sealed record RoomInfo(
    [property: Id(0)] string RoomId,
    [property: Id(1)] RoomStatus Status,
    [property: Id(2)] RoomOptions Options,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ClosedAt,
    [property: Id(5)] int ParticipantCount,
    [property: Id(6)] int PublisherCount,
    [property: Id(7)] int StreamCount);
