namespace Grains.Interfaces.Participants;

[Flags]
[GenerateSerializer, Alias("Rtc.ParticipantPermissions")]
public enum ParticipantPermissions
{
    None = 0,
    Publish = 1,
    Subscribe = 2,
}
