namespace MediaPlane.Rtcp;

/// <summary>One packet of a compound RTCP datagram, header included (padding still inside).</summary>
public readonly ref struct RtcpPacket
{
    public RtcpPacket(ReadOnlySpan<byte> bytes, byte packetType, int count)
    {
        Bytes = bytes;
        PacketType = packetType;
        Count = count;
    }

    /// <summary>The whole packet: give this to the per-type TryParse.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public byte PacketType { get; }

    /// <summary>RC, SC, subtype or FMT.</summary>
    public int Count { get; }
}

/// <summary>
/// Walks the packets of a compound RTCP datagram (RFC 3550 §6.1): each starts with a common header
/// whose length says where the next begins. Stops at the end or at the first malformed header,
/// reporting why in <see cref="Error"/>.
/// <example><code>
/// var reader = new RtcpCompoundReader(datagram);
/// while (reader.TryReadNext(out var packet))
///     switch (packet.PacketType) { case RtcpPacketType.ReceiverReport: ... }
/// if (reader.Error != RtcpParseError.None) { ... }
/// </code></example>
/// </summary>
public ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public RtcpCompoundReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        Error = RtcpParseError.None;
    }

    public RtcpParseError Error { get; private set; }

    public bool TryReadNext(out RtcpPacket packet)
    {
        packet = default;
        if (Error != RtcpParseError.None || _offset >= _data.Length)
            return false;
        var rest = _data[_offset..];
        if (!RtcpHeader.TryRead(rest, out int count, out byte type, out int length, out _, out var error))
        {
            Error = error;
            return false;
        }
        packet = new RtcpPacket(rest[..length], type, count);
        _offset += length;
        return true;
    }

    /// <summary>True when every packet of <paramref name="data"/> has a valid header (and at least one exists).</summary>
    public static bool IsValidCompound(ReadOnlySpan<byte> data, out int packetCount, out RtcpParseError error)
    {
        var reader = new RtcpCompoundReader(data);
        packetCount = 0;
        while (reader.TryReadNext(out _))
            packetCount++;
        error = packetCount == 0 && reader.Error == RtcpParseError.None ? RtcpParseError.TooShort : reader.Error;
        return error == RtcpParseError.None;
    }
}
