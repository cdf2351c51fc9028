namespace Grains.Interfaces.Media;

/// <summary>One negotiated RTP header extension of a track (RFC 8285 §8 a=extmap): its URI and the id that side chose.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.HeaderExtensionSpec")]
public sealed record HeaderExtensionSpec(
    [property: Id(0)] string Uri,
    [property: Id(1)] int Id);
