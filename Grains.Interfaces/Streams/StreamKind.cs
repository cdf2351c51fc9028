namespace Grains.Interfaces.Streams;

[GenerateSerializer, Alias("Rtc.StreamKind")]
public enum StreamKind
{
    Audio = 1,
    Video = 2,
}
