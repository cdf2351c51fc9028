using System.Buffers.Binary;
using MediaPlane.Rtp;
using MediaPlane.Transport;

namespace MediaPlane.Routing.Egress;

/// <summary>
/// Builds the RFC 8285 header extension block of one forwarded packet for one subscriber, in the ids the subscriber
/// negotiated: mid = the subscriber's own mid (RFC 8843 §15.2); abs-send-time = our send time; the transport-wide
/// sequence number = a 2-byte slot the session numbers when it sends the packet (its offset is returned); audio
/// level, video orientation, playout delay and dependency descriptor copied from the publisher's packet, found by
/// the publisher's ids. rid and repaired-rid are never written: a subscriber receives one plain stream per track.
/// <para>Form: one-byte (§4.2, profile 0xBEDE) when every id is 1-14 and every value 1-16 bytes; otherwise the
/// two-byte form (§4.3, profile 0x1000), which a larger dependency descriptor needs. Zero bytes pad the block to
/// a 32-bit boundary (§4.2, §4.3). Nothing is allocated.</para>
/// </summary>
internal static class EgressHeaderExtensions
{
    /// <summary>
    /// The longest block: the 4-byte header, the values (mid 16, abs-send-time 3, sequence number 2, audio level 1,
    /// orientation 1, playout delay 3, dependency descriptor 255), a 2-byte element header each, and 3 of padding.
    /// </summary>
    public const int MaxLength = 4 + (16 + 3 + 2 + 1 + 1 + 3 + 255) + 7 * 2 + 3;

    private const int MaxMidLength = 16;

    // Room left in a send slot after the packet for the SRTP trailer (at most a 16-byte tag).
    private const int SrtpTrailerRoom = 16;

    private static readonly HeaderExtensionKind[] Forwarded =
    [
        HeaderExtensionKind.AudioLevel,
        HeaderExtensionKind.VideoOrientation,
        HeaderExtensionKind.PlayoutDelay,
        HeaderExtensionKind.DependencyDescriptor,
    ];

    /// <summary>
    /// RFC 3550 §5.1: copies the fixed header and CSRCs of <paramref name="packet"/>; the publisher's extension (X bit,
    /// §5.3.1) is replaced by the subscriber's block when it negotiated any and <paramref name="destination"/> has room
    /// for the largest one after a payload of <paramref name="payloadLength"/> bytes and the SRTP trailer. Returns the
    /// header's length: the caller puts the payload right after it. abs-send-time is taken now.
    /// </summary>
    public static int CopyHeader(ReadOnlySpan<byte> packet, in RtpPacketReader header, Span<byte> destination, int payloadLength,
        HeaderExtensionIds publisher, HeaderExtensionIds subscriber, ReadOnlySpan<byte> mid, out int transportSequenceOffset)
    {
        transportSequenceOffset = -1;
        int fixedLength = RtpPacketReader.FixedHeaderLength + 4 * header.CsrcCount;
        packet[..fixedLength].CopyTo(destination);
        int extensionLength = 0;
        if (!subscriber.IsEmpty && fixedLength + MaxLength + payloadLength + SrtpTrailerRoom <= destination.Length)
        {
            uint absSendTime = AbsSendTimeExtension.FromMicros(MicrosecondClock.Now());
            extensionLength = Write(destination[fixedLength..], header, publisher, subscriber, mid, absSendTime, out int relative);
            if (extensionLength > 0 && relative >= 0)
                transportSequenceOffset = fixedLength + relative;
        }
        destination[0] = extensionLength > 0 ? (byte)(destination[0] | 0x10) : (byte)(destination[0] & 0xEF);
        return fixedLength + extensionLength;
    }

    /// <summary>
    /// Writes the block (extension header first) at the start of <paramref name="destination"/>, which must hold
    /// <see cref="MaxLength"/> bytes. Returns its length, a multiple of 4, or 0 when there is nothing to write (the
    /// packet then goes without an extension). <paramref name="transportSequenceOffset"/> is where the 2-byte
    /// transport-wide sequence number goes (written as 0 here), relative to <paramref name="destination"/>; -1 when
    /// the subscriber did not negotiate it.
    /// </summary>
    public static int Write(Span<byte> destination, in RtpPacketReader source, HeaderExtensionIds publisher,
        HeaderExtensionIds subscriber, ReadOnlySpan<byte> mid, uint absSendTime24, out int transportSequenceOffset)
    {
        transportSequenceOffset = -1;
        if (subscriber.IsEmpty || destination.Length < MaxLength)
            return 0;
        int midId = mid.Length is > 0 and <= MaxMidLength ? subscriber[HeaderExtensionKind.Mid] : 0;
        int absSendTimeId = subscriber[HeaderExtensionKind.AbsSendTime];
        int sequenceId = subscriber[HeaderExtensionKind.TransportSequenceNumber];

        bool twoByte = !FitsOneByte(midId, mid.Length)
            || !FitsOneByte(absSendTimeId, AbsSendTimeExtension.Length)
            || !FitsOneByte(sequenceId, TransportSequenceNumberExtension.Length);
        foreach (var kind in Forwarded)
        {
            if (TryFindForwarded(source, publisher, subscriber, kind, out int id, out var value))
                twoByte |= !FitsOneByte(id, value.Length);
        }

        int offset = 4;
        if (midId != 0)
        {
            offset = WriteElementHeader(destination, offset, twoByte, midId, mid.Length);
            mid.CopyTo(destination[offset..]);
            offset += mid.Length;
        }
        if (absSendTimeId != 0)
        {
            offset = WriteElementHeader(destination, offset, twoByte, absSendTimeId, AbsSendTimeExtension.Length);
            AbsSendTimeExtension.TryWrite(destination[offset..], absSendTime24);
            offset += AbsSendTimeExtension.Length;
        }
        if (sequenceId != 0)
        {
            offset = WriteElementHeader(destination, offset, twoByte, sequenceId, TransportSequenceNumberExtension.Length);
            transportSequenceOffset = offset;
            TransportSequenceNumberExtension.TryWrite(destination[offset..], 0);
            offset += TransportSequenceNumberExtension.Length;
        }
        foreach (var kind in Forwarded)
        {
            if (!TryFindForwarded(source, publisher, subscriber, kind, out int id, out var value))
                continue;
            offset = WriteElementHeader(destination, offset, twoByte, id, value.Length);
            value.CopyTo(destination[offset..]);
            offset += value.Length;
        }
        if (offset == 4)
            return 0;
        while ((offset & 3) != 0)
            destination[offset++] = 0;
        // RFC 3550 §5.3.1: the profile word, then the length in 32-bit words after the 4-byte header.
        BinaryPrimitives.WriteUInt16BigEndian(destination,
            twoByte ? RtpHeaderExtension.TwoByteProfile : RtpHeaderExtension.OneByteProfile);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((offset - 4) / 4));
        return offset;
    }

    /// <summary>
    /// A forwarded element both sides negotiated and the publisher's packet carries with a length its format allows
    /// (a malformed one is left out rather than passed on, and cannot overrun <see cref="MaxLength"/>).
    /// </summary>
    private static bool TryFindForwarded(in RtpPacketReader source, HeaderExtensionIds publisher, HeaderExtensionIds subscriber,
        HeaderExtensionKind kind, out int subscriberId, out ReadOnlySpan<byte> value)
    {
        value = default;
        subscriberId = subscriber[kind];
        int publisherId = publisher[kind];
        return subscriberId != 0 && publisherId != 0 && source.TryFindExtension(publisherId, out value) && IsWellFormed(kind, value.Length);
    }

    private static bool IsWellFormed(HeaderExtensionKind kind, int length) => kind switch
    {
        HeaderExtensionKind.AudioLevel => length == 1,          // RFC 6464 §3: V and the level in one byte
        HeaderExtensionKind.VideoOrientation => length == 1,    // TS 26.114 §7.4.5: C, F, R1, R0 in one byte
        HeaderExtensionKind.PlayoutDelay => length == 3,        // two 12-bit delays
        HeaderExtensionKind.DependencyDescriptor => length is >= 3 and <= 255, // AV1 RTP spec A.8: at least the mandatory fields
        _ => false,
    };

    // §4.2: ids 1-14 with 1-16 bytes of data (the length field holds length - 1).
    private static bool FitsOneByte(int id, int length) => id == 0 || (id <= 14 && length is >= 1 and <= 16);

    private static int WriteElementHeader(Span<byte> destination, int offset, bool twoByte, int id, int length)
    {
        if (twoByte)
        {
            destination[offset] = (byte)id;
            destination[offset + 1] = (byte)length;
            return offset + 2;
        }
        destination[offset] = (byte)((id << 4) | (length - 1));
        return offset + 1;
    }
}
