using MediaPlane.Rtp;

namespace MediaPlane.Fuzz.Targets;

/// <summary>RTP: parse, accessors, extension lookup for every id, and in-place rewrites on a copy.</summary>
public sealed class RtpFuzzTarget : IFuzzTarget
{
    public string Name => "rtp";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!RtpPacketReader.TryParse(input, out var packet, out var error))
        {
            FuzzCheck.That(error != RtpParseError.None, "failure carries a reason");
            return;
        }
        FuzzCheck.That(packet.Version == 2, "version 2");
        FuzzCheck.That(packet.PayloadOffset + packet.Payload.Length + packet.PaddingLength == input.Length,
            "header + payload + padding = packet");
        FuzzCheck.That(FuzzCheck.Within(input, packet.Payload) && FuzzCheck.Within(input, packet.ExtensionData), "slices inside");
        FuzzCheck.That(packet.HeaderLength >= RtpPacketReader.FixedHeaderLength + 4 * packet.CsrcCount, "header covers CSRCs");
        for (int i = 0; i < packet.CsrcCount; i++)
            _ = packet.GetCsrc(i);
        _ = packet.ExtensionProfile;
        int extensionStart = RtpPacketReader.FixedHeaderLength + 4 * packet.CsrcCount + 4;
        for (int id = 0; id <= 255; id++)
        {
            if (packet.TryFindExtension(id, out int offset, out int length))
                FuzzCheck.That(offset >= extensionStart && offset + length <= packet.HeaderLength, "extension inside the extension block");
        }

        Span<byte> copy = stackalloc byte[input.Length];
        input.CopyTo(copy);
        FuzzCheck.That(RtpHeaderRewriter.TrySetSsrc(copy, ~packet.Ssrc) && RtpHeaderRewriter.TrySetSequenceNumber(copy, (ushort)(packet.SequenceNumber + 1))
                       && RtpHeaderRewriter.TrySetTimestamp(copy, packet.Timestamp + 3000) && RtpHeaderRewriter.TrySetPayloadType(copy, 96),
            "rewrites succeed on a parsed packet");
        FuzzCheck.That(RtpPacketReader.TryParse(copy, out var rewritten, out _), "rewritten packet parses");
        FuzzCheck.That(rewritten.Ssrc == ~packet.Ssrc && rewritten.SequenceNumber == (ushort)(packet.SequenceNumber + 1)
                       && rewritten.Timestamp == packet.Timestamp + 3000 && rewritten.PayloadType == 96 && rewritten.Marker == packet.Marker
                       && rewritten.Payload.SequenceEqual(packet.Payload), "rewrites change only their fields");
        if (packet.TryFindExtension(1, out ReadOnlySpan<byte> value))
        {
            Span<byte> replacement = stackalloc byte[value.Length];
            replacement.Fill(0x5A);
            FuzzCheck.That(RtpHeaderRewriter.TryRewriteExtension(copy, 1, replacement), "same-length extension rewrite");
        }
    }
}
