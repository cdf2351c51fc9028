namespace Grains.Interfaces.Signaling;

/// <summary>One speaking participant in an active-speaker notification: its smoothed RFC 6464 level, -127 to 0 dBov.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.SpeakerLevel")]
public sealed record SpeakerLevel([property: Id(0)] string Identity, [property: Id(1)] int LevelDbov);
