using System.Collections.Immutable;
using Grains.Interfaces.Signaling;

namespace Grains.Interfaces.Media;

/// <summary>A session's media as its node last reported it on the media-state stream.</summary>
/// <param name="LiveTracks">Published streams that have received RTP and not stopped.</param>
/// <param name="Stats">The last periodic counters, if any.</param>
[GenerateSerializer, Immutable, Alias("Rtc.ClientSessionMediaState")]
public sealed record ClientSessionMediaState(
    [property: Id(0)] ImmutableArray<string> LiveTracks,
    [property: Id(1)] MediaSessionStats? Stats,
    [property: Id(2)] DateTimeOffset? LastReportAt)
{
    public static readonly ClientSessionMediaState Empty = new([], null, null);
}
