namespace Grains.Interfaces.Participants;

[GenerateSerializer, Immutable, Alias("Rtc.JoinRequest")]
public sealed record JoinRequest(
    [property: Id(0)] string Identity,
    [property: Id(1)] ParticipantPermissions Permissions,
    [property: Id(2)] string Metadata = "");
