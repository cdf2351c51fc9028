namespace Grains.Interfaces.Limits;

/// <summary>
/// How many WHIP/WHEP sessions may be open at once, per participant, per room and per client address (0 = no
/// limit). The gateway's configuration ("Limits" section) decides; the quota grains count.
/// </summary>
[GenerateSerializer, Immutable, Alias("Rtc.SessionLimits")]
public sealed record SessionLimits(
    [property: Id(0)] int PerParticipant,
    [property: Id(1)] int PerRoom,
    [property: Id(2)] int PerClientAddress);
