using System.Buffers.Binary;

namespace MediaPlane.Rtp;

/// <summary>Which RFC 8285 form the extension block of a packet being written uses.</summary>
public enum RtpExtensionForm
{
    None,
    /// <summary>§4.2, profile 0xBEDE: ids 1-14, values 1-16 bytes.</summary>
    OneByte,
    /// <summary>§4.3, profile 0x1000: ids 1-255, values 0-255 bytes.</summary>
    TwoByte,
}

/// <summary>
/// Builds an RTP packet (RFC 3550 §5.1) into a caller buffer in three steps: <see cref="TryBegin"/>
/// (fixed header and CSRCs), any number of <see cref="TryAddExtension"/>, then <see cref="TryFinish"/>
/// (extension length, payload, padding). Returns false when the buffer or a value does not fit.
/// </summary>
public ref struct RtpPacketWriter
{
    private readonly Span<byte> _buffer;
    private int _length;
    private int _extensionOffset;
    private RtpExtensionForm _form;

    public RtpPacketWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
        _extensionOffset = -1;
        _form = RtpExtensionForm.None;
    }

    public readonly int Length => _length;

    public bool TryBegin(bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc,
        scoped ReadOnlySpan<uint> csrcs = default, RtpExtensionForm extensionForm = RtpExtensionForm.None)
    {
        int length = RtpPacketReader.FixedHeaderLength + 4 * csrcs.Length + (extensionForm == RtpExtensionForm.None ? 0 : 4);
        if (payloadType > 127 || csrcs.Length > 15 || _buffer.Length < length)
            return false;
        _buffer[0] = (byte)(0x80 | (extensionForm == RtpExtensionForm.None ? 0 : 0x10) | csrcs.Length);
        _buffer[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[8..], ssrc);
        for (int i = 0; i < csrcs.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(_buffer[(RtpPacketReader.FixedHeaderLength + 4 * i)..], csrcs[i]);
        _length = RtpPacketReader.FixedHeaderLength + 4 * csrcs.Length;
        _form = extensionForm;
        if (extensionForm != RtpExtensionForm.None)
        {
            _extensionOffset = _length;
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..],
                extensionForm == RtpExtensionForm.OneByte ? RtpHeaderExtension.OneByteProfile : RtpHeaderExtension.TwoByteProfile);
            _length += 4;
        }
        return true;
    }

    /// <summary>Appends one RFC 8285 element in the form chosen at <see cref="TryBegin"/>.</summary>
    public bool TryAddExtension(int id, scoped ReadOnlySpan<byte> value)
    {
        if (_form == RtpExtensionForm.OneByte)
        {
            if (id is < 1 or > 14 || value.Length is < 1 or > 16 || _buffer.Length - _length < 1 + value.Length)
                return false;
            _buffer[_length++] = (byte)((id << 4) | (value.Length - 1));
        }
        else if (_form == RtpExtensionForm.TwoByte)
        {
            if (id is < 1 or > 255 || value.Length > 255 || _buffer.Length - _length < 2 + value.Length)
                return false;
            _buffer[_length++] = (byte)id;
            _buffer[_length++] = (byte)value.Length;
        }
        else
        {
            return false;
        }
        value.CopyTo(_buffer[_length..]);
        _length += value.Length;
        return true;
    }

    /// <summary>
    /// Closes the extension block (zero padding to a word), appends the payload and
    /// <paramref name="paddingLength"/> bytes of RTP padding (0, or 1-255 with the count last).
    /// </summary>
    public bool TryFinish(scoped ReadOnlySpan<byte> payload, int paddingLength, out int written)
    {
        written = 0;
        if (_length == 0 || paddingLength is < 0 or > 255)
            return false;
        int extensionPadding = 0;
        if (_extensionOffset >= 0)
        {
            int data = _length - _extensionOffset - 4;
            extensionPadding = (4 - (data & 3)) & 3;
            if ((data + extensionPadding) / 4 > ushort.MaxValue)
                return false;
        }
        if (_buffer.Length - _length < extensionPadding + payload.Length + paddingLength)
            return false;
        if (_extensionOffset >= 0)
        {
            _buffer.Slice(_length, extensionPadding).Clear();
            _length += extensionPadding;
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_extensionOffset + 2)..], (ushort)((_length - _extensionOffset - 4) / 4));
        }
        payload.CopyTo(_buffer[_length..]);
        _length += payload.Length;
        if (paddingLength > 0)
        {
            _buffer.Slice(_length, paddingLength - 1).Clear();
            _buffer[_length + paddingLength - 1] = (byte)paddingLength;
            _length += paddingLength;
            _buffer[0] |= 0x20;
        }
        written = _length;
        return true;
    }
}
