namespace MediaPlane.Recording.Depacketizers;

/// <summary>
/// Opus over RTP, RFC 7587 §4.2: one RTP payload is exactly one Opus packet (RFC 6716 §3), which is one frame
/// here. An empty payload is refused (RFC 6716 §3.4 R1: a packet holds at least one byte, the TOC).
/// Audio never waits for a keyframe: a lost packet is just a gap.
/// </summary>
public sealed class OpusDepacketizer() : RtpDepacketizer(isVideo: false)
{
    protected override bool HasExplicitFrameStart => true;

    protected override bool EveryPacketIsFrame => true; // RFC 7587 §4.1: the marker bit only flags a talkspurt

    protected override DepacketizeError Inspect(ReadOnlySpan<byte> payload, out PacketFacts facts)
    {
        facts = new PacketFacts { StartsFrame = true, Keyframe = true };
        return payload.IsEmpty ? DepacketizeError.TooShort : DepacketizeError.None;
    }

    protected override DepacketizeError Append(ReadOnlySpan<byte> payload, in PacketFacts facts)
    {
        FrameBuffer.Write(payload);
        return DepacketizeError.None;
    }
}
