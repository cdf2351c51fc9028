using System.Buffers.Binary;

namespace MediaPlane.Rtp;

/// <summary>
/// In-place rewrites of an RTP header (RFC 3550 §5.1) for forwarding: SSRC, sequence number,
/// timestamp, payload type, marker, and RFC 8285 extension values of unchanged length. Each returns
/// false, touching nothing, when the packet is too short for the field.
/// </summary>
public static class RtpHeaderRewriter
{
    public static bool TrySetSsrc(Span<byte> packet, uint ssrc)
    {
        if (packet.Length < RtpPacketReader.FixedHeaderLength)
            return false;
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
        return true;
    }

    public static bool TrySetSequenceNumber(Span<byte> packet, ushort sequenceNumber)
    {
        if (packet.Length < RtpPacketReader.FixedHeaderLength)
            return false;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequenceNumber);
        return true;
    }

    public static bool TrySetTimestamp(Span<byte> packet, uint timestamp)
    {
        if (packet.Length < RtpPacketReader.FixedHeaderLength)
            return false;
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        return true;
    }

    /// <summary>Payload type 0-127; the marker bit is kept.</summary>
    public static bool TrySetPayloadType(Span<byte> packet, byte payloadType)
    {
        if (packet.Length < RtpPacketReader.FixedHeaderLength || payloadType > 127)
            return false;
        packet[1] = (byte)((packet[1] & 0x80) | payloadType);
        return true;
    }

    public static bool TrySetMarker(Span<byte> packet, bool marker)
    {
        if (packet.Length < RtpPacketReader.FixedHeaderLength)
            return false;
        packet[1] = (byte)(marker ? packet[1] | 0x80 : packet[1] & 0x7F);
        return true;
    }

    /// <summary>Overwrites extension element <paramref name="id"/> whose value has the same length.</summary>
    public static bool TryRewriteExtension(Span<byte> packet, int id, ReadOnlySpan<byte> value)
    {
        if (!RtpPacketReader.TryParse(packet, out var reader, out _)
            || !reader.TryFindExtension(id, out int offset, out int length)
            || length != value.Length)
            return false;
        value.CopyTo(packet.Slice(offset, length));
        return true;
    }
}
