using System.Buffers.Binary;

namespace MediaPlane.Rtcp;

/// <summary>
/// Application-defined, RFC 3550 §6.7:
/// <code>
///  |V=2|P| subtype |   PT=APP=204  |             length            |
///  |                           SSRC/CSRC                           |
///  |                          name (ASCII)                         |
///  |                   application-dependent data                ...
/// </code>
/// </summary>
public readonly ref struct RtcpApp
{
    private readonly ReadOnlySpan<byte> _body;

    private RtcpApp(ReadOnlySpan<byte> body, int subtype)
    {
        _body = body;
        Subtype = subtype;
    }

    public int Subtype { get; }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_body);

    /// <summary>The four ASCII name bytes.</summary>
    public ReadOnlySpan<byte> Name => _body.Slice(4, 4);

    public ReadOnlySpan<byte> Data => _body[8..];

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpApp app, out RtcpParseError error)
    {
        app = default;
        if (!RtcpHeader.TryReadTyped(packet, RtcpPacketType.App, -1, out int subtype, out var body, out error))
            return false;
        if (body.Length < 8)
            return RtcpHeader.Fail(RtcpParseError.Malformed, out error);
        app = new RtcpApp(body, subtype);
        return true;
    }

    /// <summary>Data length must be a multiple of 4 (RFC 3550 §6.7).</summary>
    public static bool TryWrite(Span<byte> destination, int subtype, uint ssrc, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, out int written)
    {
        written = 0;
        int length = RtcpHeader.Length + 8 + data.Length;
        if (subtype is < 0 or > 31 || name.Length != 4 || (data.Length & 3) != 0 || destination.Length < length || length > 4 * 65536)
            return false;
        RtcpHeader.Write(destination, subtype, RtcpPacketType.App, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        name.CopyTo(destination[8..]);
        data.CopyTo(destination[12..]);
        written = length;
        return true;
    }
}
