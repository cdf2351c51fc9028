using MediaPlane.Routing.Repair;
using MediaPlane.Rtp;

namespace MediaPlane.Fuzz.Targets;

/// <summary>
/// A publisher's RTX packet unwrapped in place (RFC 4588 §4), then the NACK tracker fed the original sequence
/// number: the unwrapped packet parses, keeps the header, payload and padding it had, and carries the OSN.
/// </summary>
public sealed class RtxFuzzTarget : IFuzzTarget
{
    private readonly NackTracker _tracker = new();
    private long _nowMs;

    public string Name => "rtx";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length > 2048 || !RtpPacketReader.TryParse(input, out var rtx, out _))
            return;
        int headerLength = rtx.HeaderLength, padding = rtx.PaddingLength;
        Span<byte> packet = stackalloc byte[input.Length];
        input.CopyTo(packet);
        RtpPacketReader.TryParse(packet, out var header, out _);
        if (!RtxPacket.TryUnwrap(packet, header, 96, 0x1111, out ushort osn))
        {
            FuzzCheck.That(packet.SequenceEqual(input), "a refused packet is left as it was");
            return;
        }
        var original = packet[RtxPacket.OriginalOffset..];
        FuzzCheck.That(RtpPacketReader.TryParse(original, out var unwrapped, out _), "the original parses");
        FuzzCheck.That(unwrapped.SequenceNumber == osn && unwrapped.Ssrc == 0x1111 && unwrapped.PayloadType == 96
                       && unwrapped.HeaderLength == headerLength && unwrapped.PaddingLength == padding, "the original's header");
        FuzzCheck.That(unwrapped.Payload.SequenceEqual(input[(headerLength + 2)..^padding]), "the original payload follows the OSN");
        _tracker.OnPacket(osn, _nowMs += 7, isRetransmission: true);
        Span<ushort> due = stackalloc ushort[64];
        int count = _tracker.CollectDue(_nowMs, due);
        FuzzCheck.That(count <= due.Length && _tracker.MissingCount <= NackTracker.MaxMissing, "the missing list stays bounded");
    }
}
