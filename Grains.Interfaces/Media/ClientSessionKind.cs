namespace Grains.Interfaces.Media;

[GenerateSerializer, Alias("Rtc.ClientSessionKind")]
public enum ClientSessionKind
{
    /// <summary>WHIP: the client publishes.</summary>
    Publish = 1,
    /// <summary>WHEP: the client subscribes.</summary>
    Subscribe = 2,
}
