using MediaPlane.Demux;
using MediaPlane.Rtp;
using MediaPlane.Stun;

namespace MediaPlane.Fuzz.Targets;

/// <summary>Demux: classification agrees with the first byte and with what the parsers accept.</summary>
public sealed class DemuxFuzzTarget : IFuzzTarget
{
    public string Name => "demux";

    public void Run(ReadOnlySpan<byte> input)
    {
        var kind = PacketClassifier.Classify(input);
        if (input.IsEmpty)
        {
            FuzzCheck.That(kind == PacketKind.Unknown, "empty is unknown");
            return;
        }
        // The STUN parser accepts any message type with the top two bits clear (RFC 8489 §5), but
        // the port only treats first bytes 0-3 as STUN (RFC 7983 §7): methods beyond 0x3FF are not
        // STUN here. Everything with a valid STUN header and first byte 0-3 must be classified STUN.
        if (StunMessageReader.TryParse(input, out _, out _))
            FuzzCheck.That(kind == PacketKind.Stun || input[0] > 3, "STUN with first byte 0-3 is classified STUN");
        if (input[0] <= 3)
            FuzzCheck.That(kind == PacketKind.Stun, "first byte 0-3 is STUN");
        if (RtpPacketReader.TryParse(input, out _, out _))
            FuzzCheck.That(kind is PacketKind.Rtp or PacketKind.Rtcp, "whatever parses as RTP has an RTP/RTCP first byte");
        if (kind == PacketKind.Rtcp)
            FuzzCheck.That(input[1] is >= 192 and <= 223, "RTCP by its packet type");
    }
}
