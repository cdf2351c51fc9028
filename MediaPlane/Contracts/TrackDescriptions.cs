namespace MediaPlane.Contracts;

/// <summary>A track a client sends us (publish), as negotiated in its SDP.</summary>
/// <param name="StreamId">The room-wide id consumers ask for.</param>
/// <param name="Ssrc">The SSRC the client sends media with (a=ssrc).</param>
/// <param name="RtxSsrc">Its retransmission SSRC (a=ssrc-group:FID), if any.</param>
/// <param name="PayloadType">The negotiated codec's payload type.</param>
/// <param name="ClockRate">RTP clock rate of the codec (48000 Opus, 90000 video).</param>
public sealed record PublishedTrack(
    string StreamId,
    MediaKind Kind,
    uint Ssrc,
    uint? RtxSsrc,
    byte PayloadType,
    byte? RtxPayloadType,
    int ClockRate,
    string Codec)
{
    /// <summary>
    /// Simulcast layers by RID (RFC 8851/8853), lowest quality first as offered; empty for one stream. A simulcast
    /// track has no <see cref="Ssrc"/> (0): each layer's SSRC is learned from the RID header extension of its first
    /// packets (RFC 8852 §3.3), and each layer is a producer of its own (see Routing/Simulcast/SimulcastTrack.cs).
    /// </summary>
    public IReadOnlyList<string> SimulcastRids { get; init; } = [];

    /// <summary>RFC 8285 id of the rtp-stream-id extension (RFC 8852 §3.1); needed for <see cref="SimulcastRids"/>.</summary>
    public int? RidExtensionId { get; init; }

    /// <summary>RFC 8285 id of the repaired-rtp-stream-id extension (RFC 8852 §3.2), naming a layer's RTX stream.</summary>
    public int? RepairedRidExtensionId { get; init; }

    /// <summary>The section's mid and the id of the mid extension (RFC 8843 §15): tell two simulcast sections apart.</summary>
    public string? Mid { get; init; }

    public int? MidExtensionId { get; init; }

    public bool IsSimulcast => SimulcastRids.Count >= 2;
}

/// <summary>A track we send a client (subscribe): which producer, and the numbers its SDP answer announced.</summary>
/// <param name="OutputSsrc">SSRC we send with (announced in our answer's a=ssrc).</param>
/// <param name="PayloadType">Payload type the subscriber negotiated for the producer's codec.</param>
/// <param name="RtxPayloadType">RTX payload type when negotiated (RFC 4588); retransmissions then use RTX.</param>
public sealed record SubscribedTrack(
    string StreamId,
    uint OutputSsrc,
    uint? OutputRtxSsrc,
    byte PayloadType,
    byte? RtxPayloadType)
{
    /// <summary>For a simulcast stream: the RID to forward (null: the highest layer). See SimulcastLayerSwitcher.</summary>
    public string? PreferredRid { get; init; }
}
