using System.Collections.Immutable;
using Grains.Interfaces.Streams;

namespace Grains.Interfaces.Media;

/// <summary>
/// A track a client will send (WHIP), as its SDP offer negotiated it. A simulcast track (RFC 8853) lists its layers'
/// RIDs, lowest first, and has no <c>Ssrc</c> (0): the node learns each layer's from the RID header extension.
/// </summary>
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
    [property: Id(8)] ImmutableArray<string> SimulcastRids = default,
    [property: Id(9)] int? RidExtensionId = null,
    [property: Id(10)] int? RepairedRidExtensionId = null,
    [property: Id(11)] string? Mid = null,
    [property: Id(12)] int? MidExtensionId = null);

/// <summary>
/// A track we will send a client (WHEP): the stream, and the numbers our answer announces; for a simulcast stream the
/// RID of the layer the subscriber asked for (null: the highest).
/// </summary>
[GenerateSerializer, Immutable, Alias("Rtc.SubscribeTrackSpec")]
public sealed record SubscribeTrackSpec(
    [property: Id(0)] string StreamId,
    [property: Id(1)] uint OutputSsrc,
    [property: Id(2)] uint? OutputRtxSsrc,
    [property: Id(3)] byte PayloadType,
    [property: Id(4)] byte? RtxPayloadType,
    [property: Id(5)] string? PreferredRid = null);
