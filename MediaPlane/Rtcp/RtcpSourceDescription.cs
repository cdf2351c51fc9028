using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Source description, RFC 3550 §6.5. Each chunk starts on a 32-bit boundary, lists items, and ends
/// with a null item (type 0) followed by zeros up to the next boundary:
/// <code>
///  |V=2|P|    SC   |  PT=SDES=202  |             length            |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  |                          SSRC/CSRC_1                          |
///  |                           SDES items                          |
///  |                              ...                              |
///  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///  item: |    type (CNAME=1) |     length    | user and domain name ...
/// </code>
/// Only CNAME is surfaced; other items are skipped.
/// </summary>
public readonly ref struct RtcpSourceDescription
{
    public const byte CnameItem = 1;

    private readonly ReadOnlySpan<byte> _body;

    private RtcpSourceDescription(ReadOnlySpan<byte> body, int count)
    {
        _body = body;
        ChunkCount = count;
    }

    public int ChunkCount { get; }

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpSourceDescription sdes, out RtcpParseError error)
    {
        sdes = default;
        if (!RtcpHeader.TryReadTyped(packet, RtcpPacketType.SourceDescription, -1, out int count, out var body, out error))
            return false;
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            if (!TryReadChunkAt(body, ref offset, out _, out _))
                return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        }
        sdes = new RtcpSourceDescription(body, count);
        return true;
    }

    /// <summary>
    /// Reads the chunk at <paramref name="offset"/> (start at 0) and advances past it. CNAME is empty
    /// when the chunk has none.
    /// </summary>
    public bool TryReadChunk(scoped ref int offset, out uint ssrc, out ReadOnlySpan<byte> cname) =>
        TryReadChunkAt(_body, ref offset, out ssrc, out cname);

    /// <summary>CNAME of the first chunk that has one.</summary>
    public bool TryGetCname(out uint ssrc, out ReadOnlySpan<byte> cname)
    {
        int offset = 0;
        for (int i = 0; i < ChunkCount; i++)
        {
            if (!TryReadChunk(ref offset, out ssrc, out cname))
                break;
            if (!cname.IsEmpty)
                return true;
        }
        ssrc = 0;
        cname = default;
        return false;
    }

    private static bool TryReadChunkAt(ReadOnlySpan<byte> body, scoped ref int offset, out uint ssrc, out ReadOnlySpan<byte> cname)
    {
        ssrc = 0;
        cname = default;
        if (offset < 0 || body.Length - offset < 4)
            return false;
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(body[offset..]);
        int i = offset + 4;
        while (true)
        {
            if (i >= body.Length)
                return false;
            byte type = body[i];
            if (type == 0)
            {
                // Null item, then zeros to the next 32-bit boundary (tolerated when cut short).
                offset = Math.Min((i + 4) & ~3, body.Length);
                return true;
            }
            if (i + 1 >= body.Length)
                return false;
            int length = body[i + 1];
            if (length > body.Length - i - 2)
                return false;
            if (type == CnameItem && cname.IsEmpty)
                cname = body.Slice(i + 2, length);
            i += 2 + length;
        }
    }

    /// <summary>One chunk with one CNAME item (what an SFU sends in each compound packet).</summary>
    public static bool TryWriteCname(Span<byte> destination, uint ssrc, ReadOnlySpan<byte> cname, out int written)
    {
        written = 0;
        if (cname.Length > 255)
            return false;
        int chunk = 4 + 2 + cname.Length + 1;
        chunk = (chunk + 3) & ~3;
        int length = RtcpHeader.Length + chunk;
        if (destination.Length < length)
            return false;
        RtcpHeader.Write(destination, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = CnameItem;
        destination[9] = (byte)cname.Length;
        cname.CopyTo(destination[10..]);
        destination[(10 + cname.Length)..length].Clear();
        written = length;
        return true;
    }
}
