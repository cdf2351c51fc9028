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
    string Codec);

/// <summary>A track we send a client (subscribe): which producer, and the numbers its SDP answer announced.</summary>
/// <param name="OutputSsrc">SSRC we send with (announced in our answer's a=ssrc).</param>
/// <param name="PayloadType">Payload type the subscriber negotiated for the producer's codec.</param>
/// <param name="RtxPayloadType">RTX payload type when negotiated (RFC 4588); retransmissions then use RTX.</param>
public sealed record SubscribedTrack(
    string StreamId,
    uint OutputSsrc,
    uint? OutputRtxSsrc,
    byte PayloadType,
    byte? RtxPayloadType);
