namespace Grains.Interfaces.Participants;

[GenerateSerializer, Immutable, Alias("Rtc.JoinRequest")]
public sealed record JoinRequest(
    [property: Id(0)] string Identity,
    [property: Id(1)] ParticipantPermissions Permissions,
    [property: Id(2)] string Metadata = "",
    // An admin's join: admitted even while the identity's kick ban runs.
    [property: Id(3)] bool OverrideBan = false);
