namespace Grains.Interfaces.Participants;

[GenerateSerializer, Immutable, Alias("Rtc.ParticipantInfo")]
public sealed record ParticipantInfo(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string Identity,
    [property: Id(2)] ParticipantPermissions Permissions,
    [property: Id(3)] DateTimeOffset JoinedAt,
    [property: Id(4)] string Metadata);
