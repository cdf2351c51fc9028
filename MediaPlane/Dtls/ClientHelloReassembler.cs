using System.Buffers.Binary;

namespace MediaPlane.Dtls;

/// <summary>
/// Puts a fragmented ClientHello back together before the cookie check (BouncyCastle's verifier reads only a
/// ClientHello whole in one record). Browsers fragment theirs: a post-quantum key share makes it larger than one
/// datagram. Epoch-0 handshake records only (RFC 6347 §4.2.2/§4.2.3: msg_type, length, message_seq, fragment_offset,
/// fragment_length); a later message_seq starts over; a hello larger than <see cref="MaxHelloLength"/> is refused.
/// One per association, fed from the one receive thread of its client's address; never throws on bad input.
/// </summary>
internal sealed class ClientHelloReassembler
{
    public const int MaxHelloLength = 8192;
    private const int HandshakeHeaderLength = 12;
    private const byte ClientHelloType = 1;

    private byte[]? _body;
    private bool[]? _have;
    private int _missing;
    private int _messageSeq = -1;
    private ushort _recordVersion;
    private long _lastRecordSeq;

    /// <summary>
    /// True when <paramref name="datagram"/> completes a ClientHello: <paramref name="whole"/> is then one datagram with
    /// one record carrying it unfragmented (the sequence number of the last record seen), ready for the cookie check.
    /// </summary>
    public bool TryAdd(ReadOnlySpan<byte> datagram, out byte[]? whole)
    {
        whole = null;
        bool complete = false;
        while (DtlsRecordHeader.TryParse(datagram, out var record))
        {
            datagram = datagram[record.RecordLength..];
            if (record.ContentType != DtlsContentType.Handshake || record.Epoch != 0)
                continue;
            complete |= AddFragment(record.Fragment, record.Version, record.SequenceNumber);
        }
        if (!complete)
            return false;
        whole = Whole();
        Reset();
        return true;
    }

    private bool AddFragment(ReadOnlySpan<byte> fragment, ushort version, long recordSeq)
    {
        if (fragment.Length < HandshakeHeaderLength || fragment[0] != ClientHelloType)
            return false;
        int length = ReadUInt24(fragment[1..]);
        int messageSeq = BinaryPrimitives.ReadUInt16BigEndian(fragment[4..]);
        int offset = ReadUInt24(fragment[6..]);
        int fragmentLength = ReadUInt24(fragment[9..]);
        if (length > MaxHelloLength || fragmentLength != fragment.Length - HandshakeHeaderLength || offset + fragmentLength > length)
            return false;
        if (messageSeq != _messageSeq || _body is null || _body.Length != length)
        {
            if (messageSeq < _messageSeq)
                return false; // an old hello's retransmission
            _messageSeq = messageSeq;
            _body = new byte[length];
            _have = new bool[length];
            _missing = length;
            _recordVersion = version;
        }
        fragment.Slice(HandshakeHeaderLength, fragmentLength).CopyTo(_body.AsSpan(offset));
        for (int i = offset; i < offset + fragmentLength; i++)
        {
            if (!_have![i])
            {
                _have[i] = true;
                _missing--;
            }
        }
        _lastRecordSeq = Math.Max(_lastRecordSeq, recordSeq);
        return _missing == 0;
    }

    private byte[] Whole()
    {
        int length = _body!.Length;
        var datagram = new byte[DtlsRecordHeader.Length + HandshakeHeaderLength + length];
        var span = datagram.AsSpan();
        span[0] = (byte)DtlsContentType.Handshake;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], _recordVersion);
        BinaryPrimitives.WriteUInt16BigEndian(span[3..], 0); // epoch
        WriteUInt48(span[5..], _lastRecordSeq);
        BinaryPrimitives.WriteUInt16BigEndian(span[11..], (ushort)(HandshakeHeaderLength + length));
        var handshake = span[DtlsRecordHeader.Length..];
        handshake[0] = ClientHelloType;
        WriteUInt24(handshake[1..], length);
        BinaryPrimitives.WriteUInt16BigEndian(handshake[4..], (ushort)_messageSeq);
        WriteUInt24(handshake[6..], 0);
        WriteUInt24(handshake[9..], length);
        _body.CopyTo(handshake[HandshakeHeaderLength..]);
        return datagram;
    }

    private void Reset()
    {
        _body = null;
        _have = null;
        _missing = 0;
        _lastRecordSeq = 0;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> s) => (s[0] << 16) | (s[1] << 8) | s[2];

    private static void WriteUInt24(Span<byte> s, int value)
    {
        s[0] = (byte)(value >> 16);
        s[1] = (byte)(value >> 8);
        s[2] = (byte)value;
    }

    private static void WriteUInt48(Span<byte> s, long value)
    {
        for (int i = 0; i < 6; i++)
            s[i] = (byte)(value >> (8 * (5 - i)));
    }
}
