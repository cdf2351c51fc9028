using System.Collections.Immutable;

namespace Grains.Interfaces.Media;

/// <summary>
/// One subscription of a session on a media node: the stream, and for a simulcast stream the RID forwarded now
/// (null before the first keyframe), the RID asked for, and the layers with their received bitrates.
/// </summary>
[GenerateSerializer, Immutable, Alias("Rtc.NodeSubscriptionInfo")]
public sealed record NodeSubscriptionInfo(
    [property: Id(0)] string StreamId,
    [property: Id(1)] string? Rid,
    [property: Id(2)] string? RequestedRid,
    [property: Id(3)] ImmutableArray<SimulcastLayerInfo> Layers);

/// <summary>A simulcast layer by RID and its bitrate as received from the publisher (0: not sent now).</summary>
[GenerateSerializer, Immutable, Alias("Rtc.SimulcastLayerInfo")]
public sealed record SimulcastLayerInfo(
    [property: Id(0)] string Rid,
    [property: Id(1)] long BitsPerSecond);
