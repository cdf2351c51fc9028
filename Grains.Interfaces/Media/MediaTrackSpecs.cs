using System.Collections.Immutable;
using Grains.Interfaces.Streams;

namespace Grains.Interfaces.Media;

/// <summary>A track a client will send (WHIP), as its SDP offer negotiated it.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.PublishTrackSpec")]
public sealed record PublishTrackSpec(
    [property: Id(0)] string StreamId,
    [property: Id(1)] StreamKind Kind,
    [property: Id(2)] uint Ssrc,
    [property: Id(3)] uint? RtxSsrc,
    [property: Id(4)] byte PayloadType,
    [property: Id(5)] byte? RtxPayloadType,
    [property: Id(6)] int ClockRate,
    [property: Id(7)] string Codec,
    // The header extensions the publisher negotiated: the node finds what it forwards to subscribers by these ids.
    [property: Id(8)] ImmutableArray<HeaderExtensionSpec> Extensions = default);

/// <summary>A track we will send a client (WHEP): the stream, and the numbers our answer announces.</summary>
[GenerateSerializer, Immutable, Alias("Rtc.SubscribeTrackSpec")]
public sealed record SubscribeTrackSpec(
    [property: Id(0)] string StreamId,
    [property: Id(1)] uint OutputSsrc,
    [property: Id(2)] uint? OutputRtxSsrc,
    [property: Id(3)] byte PayloadType,
    [property: Id(4)] byte? RtxPayloadType,
    // The subscriber's mid for the section and the header extensions it negotiated there (written in its ids).
    [property: Id(5)] string? Mid = null,
    [property: Id(6)] ImmutableArray<HeaderExtensionSpec> Extensions = default);
