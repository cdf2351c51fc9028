using System.Buffers.Binary;

namespace MediaPlane.Rtp;

/// <summary>
/// Transport-wide sequence number header extension, draft-holmer-rmcat-transport-wide-cc-extensions-01 §2
/// (URI http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01):
/// <code>
///   0                   1                   2
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |  ID   | L=1   |transport-wide sequence number |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The id is whatever the SDP negotiated (a=extmap), so the caller passes it. Later revisions append
/// two bytes of feedback request; the sequence number stays in the first two, so longer values are read too.
/// </summary>
public static class TransportSequenceNumberExtension
{
    public const int Length = 2;

    /// <summary>Reads the value bytes of the element (as found by id). False when shorter than 2 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out ushort sequenceNumber)
    {
        sequenceNumber = 0;
        if (value.Length < Length)
            return false;
        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(value);
        return true;
    }

    /// <summary>Finds element <paramref name="id"/> in <paramref name="packet"/> (one- or two-byte form) and reads it.</summary>
    public static bool TryRead(in RtpPacketReader packet, int id, out ushort sequenceNumber)
    {
        sequenceNumber = 0;
        return packet.TryFindExtension(id, out ReadOnlySpan<byte> value) && TryRead(value, out sequenceNumber);
    }

    public static bool TryWrite(Span<byte> value, ushort sequenceNumber)
    {
        if (value.Length < Length)
            return false;
        BinaryPrimitives.WriteUInt16BigEndian(value, sequenceNumber);
        return true;
    }
}
