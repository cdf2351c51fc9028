using System.Buffers.Binary;
using MediaPlane.Rtp;

namespace MediaPlane.Routing.Repair;

/// <summary>
/// Turns a publisher's RTX packet back into the packet it repairs (RFC 4588 §4), in place:
/// <code>
///   0                   1                   2                   3
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                         RTP Header                            |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |            OSN                |                               |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
///  |                  Original RTP Packet Payload                  |
/// </code>
/// The header (CSRCs, extensions) moves two bytes on, over the OSN; the sequence number becomes the OSN,
/// the SSRC and payload type the original stream's (the RTX payload type's apt=, §8.6). Padding stays.
/// </summary>
public static class RtxPacket
{
    private const int OriginalSequenceLength = 2;

    /// <summary>
    /// Unwraps <paramref name="packet"/> (parsed as <paramref name="header"/>); the original packet is then
    /// <c>packet[OriginalOffset..]</c>. False for an RTX packet with no OSN (padding only: a bandwidth probe).
    /// </summary>
    public static bool TryUnwrap(Span<byte> packet, in RtpPacketReader header, byte originalPayloadType, uint originalSsrc,
        out ushort originalSequence)
    {
        originalSequence = 0;
        int headerLength = header.PayloadOffset;
        if (packet.Length - header.PaddingLength - headerLength < OriginalSequenceLength)
            return false;
        originalSequence = BinaryPrimitives.ReadUInt16BigEndian(packet[headerLength..]);
        packet[..headerLength].CopyTo(packet[OriginalSequenceLength..]); // overlapping: CopyTo moves like memmove
        var original = packet[OriginalSequenceLength..];
        original[1] = (byte)((original[1] & 0x80) | originalPayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(original[2..], originalSequence);
        BinaryPrimitives.WriteUInt32BigEndian(original[8..], originalSsrc);
        return true;
    }

    /// <summary>Where the original packet starts after <see cref="TryUnwrap"/>.</summary>
    public const int OriginalOffset = OriginalSequenceLength;
}
