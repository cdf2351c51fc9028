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
        if (StunMessageReader.TryParse(input, out _, out _))
            FuzzCheck.That(kind == PacketKind.Stun, "whatever parses as STUN is classified STUN");
        if (RtpPacketReader.TryParse(input, out _, out _))
            FuzzCheck.That(kind is PacketKind.Rtp or PacketKind.Rtcp, "whatever parses as RTP has an RTP/RTCP first byte");
        if (kind == PacketKind.Rtcp)
            FuzzCheck.That(input[1] is >= 192 and <= 223, "RTCP by its packet type");
    }
}
