using System.Buffers.Binary;

namespace MediaPlane.Rtp;

/// <summary>
/// An RTP packet over the caller's bytes (RFC 3550 §5.1, header extension §5.3.1, RFC 8285).
/// <code>
///   0                   1                   2                   3
///   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                           timestamp                           |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |           synchronization source (SSRC) identifier            |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |            contributing source (CSRC) identifiers             |
///  |                             ....                              |
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |      defined by profile       |           length              |  (if X)
///  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  |                        header extension                       |
///  |                             ....                              |
/// </code>
/// Offsets (<see cref="PayloadOffset"/>, <see cref="TryFindExtension(int, out int, out int)"/>) let
/// the caller rewrite the same bytes in place with <see cref="RtpHeaderRewriter"/>.
/// </summary>
public readonly ref struct RtpPacketReader
{
    public const int FixedHeaderLength = 12;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _extensionOffset; // start of the 4-byte extension header, or -1
    private readonly int _extensionDataLength;
    private readonly int _payloadOffset;
    private readonly int _paddingLength;

    private RtpPacketReader(ReadOnlySpan<byte> packet, int extensionOffset, int extensionDataLength, int payloadOffset, int paddingLength)
    {
        _packet = packet;
        _extensionOffset = extensionOffset;
        _extensionDataLength = extensionDataLength;
        _payloadOffset = payloadOffset;
        _paddingLength = paddingLength;
    }

    /// <summary>Parses an RTP packet occupying all of <paramref name="packet"/>. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpPacketReader reader, out RtpParseError error)
    {
        reader = default;
        if (packet.Length < FixedHeaderLength)
            return Fail(RtpParseError.TooShort, out error);
        byte first = packet[0];
        if (first >> 6 != 2)
            return Fail(RtpParseError.BadVersion, out error);
        int offset = FixedHeaderLength + 4 * (first & 0x0F);
        if (offset > packet.Length)
            return Fail(RtpParseError.CsrcOverrun, out error);
        int extensionOffset = -1, extensionLength = 0;
        if ((first & 0x10) != 0)
        {
            if (packet.Length - offset < 4)
                return Fail(RtpParseError.ExtensionOverrun, out error);
            extensionLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            if (extensionLength > packet.Length - offset - 4)
                return Fail(RtpParseError.ExtensionOverrun, out error);
            extensionOffset = offset;
            offset += 4 + extensionLength;
        }
        int padding = 0;
        if ((first & 0x20) != 0)
        {
            padding = packet.Length > offset ? packet[^1] : 0;
            if (padding == 0 || padding > packet.Length - offset)
                return Fail(RtpParseError.BadPadding, out error);
        }
        reader = new RtpPacketReader(packet, extensionOffset, extensionLength, offset, padding);
        error = RtpParseError.None;
        return true;
    }

    private static bool Fail(RtpParseError reason, out RtpParseError error)
    {
        error = reason;
        return false;
    }

    public ReadOnlySpan<byte> Packet => _packet;

    public int Version => _packet[0] >> 6;

    public bool HasPadding => (_packet[0] & 0x20) != 0;

    public bool HasExtension => _extensionOffset >= 0;

    public int CsrcCount => _packet[0] & 0x0F;

    public bool Marker => (_packet[1] & 0x80) != 0;

    public byte PayloadType => (byte)(_packet[1] & 0x7F);

    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_packet[2..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(_packet[4..]);

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_packet[8..]);

    /// <summary>CSRC number <paramref name="index"/> (0 ≤ index &lt; <see cref="CsrcCount"/>).</summary>
    public uint GetCsrc(int index)
    {
        if ((uint)index >= (uint)CsrcCount)
            throw new ArgumentOutOfRangeException(nameof(index));
        return BinaryPrimitives.ReadUInt32BigEndian(_packet[(FixedHeaderLength + 4 * index)..]);
    }

    /// <summary>The 16-bit "defined by profile" value, 0 without an extension.</summary>
    public ushort ExtensionProfile => HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_packet[_extensionOffset..]) : (ushort)0;

    /// <summary>Extension data after its 4-byte header (empty without an extension).</summary>
    public ReadOnlySpan<byte> ExtensionData => HasExtension ? _packet.Slice(_extensionOffset + 4, _extensionDataLength) : default;

    /// <summary>Header length: fixed part, CSRCs and extension.</summary>
    public int HeaderLength => _payloadOffset;

    public int PayloadOffset => _payloadOffset;

    public int PaddingLength => _paddingLength;

    /// <summary>The payload, without header and padding.</summary>
    public ReadOnlySpan<byte> Payload => _packet[_payloadOffset..^_paddingLength];

    /// <summary>RFC 8285 element value by id (one-byte or two-byte form).</summary>
    public bool TryFindExtension(int id, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryFindExtension(id, out int offset, out int length))
            return false;
        value = _packet.Slice(offset, length);
        return true;
    }

    /// <summary>RFC 8285 element by id, as an offset into the packet (for in-place rewriting).</summary>
    public bool TryFindExtension(int id, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        if (!HasExtension || !RtpHeaderExtension.TryFind(ExtensionProfile, ExtensionData, id, out int relative, out length))
            return false;
        offset = _extensionOffset + 4 + relative;
        return true;
    }
}
