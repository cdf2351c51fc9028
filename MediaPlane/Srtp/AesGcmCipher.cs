using System.Buffers.Binary;

namespace MediaPlane.Srtp;

/// <summary>
/// AEAD_AES_128_GCM / AEAD_AES_256_GCM for SRTP and SRTCP (RFC 7714) for one set of session keys.
///
/// SRTP IV (§8.1), XORed with the 96-bit session salt:
///
///       0  0  0  0  0  0  0  0  0  0  1  1
///       0  1  2  3  4  5  6  7  8  9  0  1
///     +--+--+--+--+--+--+--+--+--+--+--+--+
///     |00|00|    SSRC   |     ROC   | SEQ |
///     +--+--+--+--+--+--+--+--+--+--+--+--+
///
/// AAD is the RTP header including CSRCs and extension (§8.2); the tag follows the ciphertext.
///
/// SRTCP IV (§9.1): 00 00 | SSRC | 00 00 | 0 + 31-bit SRTCP index. AAD is the first 8 octets of the
/// RTCP header followed by the E flag and index word (§9.2, §17); on the wire the 16-byte tag follows the
/// ciphertext and the E|index word comes last. With E = 0 the whole packet is AAD (§9.3).
/// </summary>
internal sealed class AesGcmCipher : SrtpCipher
{
    private readonly AesGcmAead _aead;
    private readonly byte[] _salt = new byte[12];

    public AesGcmCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        if (salt.Length != 12)
            throw new ArgumentException("AEAD session salt is 96 bits.", nameof(salt));
        _aead = new AesGcmAead(key);
        salt.CopyTo(_salt);
    }

    public override int RtpTagLength => AesGcmAead.TagLength;

    public override int RtcpTagLength => AesGcmAead.TagLength;

    public override int RtcpIndexOffsetFromEnd => 4;

    private void BuildIv(Span<byte> iv, uint ssrc, uint middle, uint low)
    {
        _salt.CopyTo(iv);
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], BinaryPrimitives.ReadUInt32BigEndian(iv[2..]) ^ ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(iv[6..], BinaryPrimitives.ReadUInt32BigEndian(iv[6..]) ^ middle);
        BinaryPrimitives.WriteUInt16BigEndian(iv[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(iv[10..]) ^ low));
    }

    public override int ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, uint roc, ushort seq)
    {
        Span<byte> iv = stackalloc byte[12];
        BuildIv(iv, ssrc, roc, seq);
        _aead.Seal(iv, packet[..headerLength], packet[headerLength..length], packet.Slice(length, AesGcmAead.TagLength));
        return length + AesGcmAead.TagLength;
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, uint roc, ushort seq)
    {
        Span<byte> iv = stackalloc byte[12];
        BuildIv(iv, ssrc, roc, seq);
        int cipherEnd = length - AesGcmAead.TagLength;
        return _aead.Open(iv, packet[..headerLength], packet[headerLength..cipherEnd], packet.Slice(cipherEnd, AesGcmAead.TagLength));
    }

    // SRTCP IV: 00 00 | SSRC | 00 00 | index: the 32 bits after SSRC are (index >> 16), the last 16 (index & 0xFFFF).
    public override int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[12];
        BuildIv(iv, ssrc, index >> 16, index & 0xFFFF);
        uint eIndex = 0x8000_0000u | index;
        Span<byte> aad = stackalloc byte[12];
        packet[..8].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[8..], eIndex);
        _aead.Seal(iv, aad, packet[8..length], packet.Slice(length, AesGcmAead.TagLength));
        BinaryPrimitives.WriteUInt32BigEndian(packet[(length + AesGcmAead.TagLength)..], eIndex);
        return length + AesGcmAead.TagLength + 4;
    }

    public override bool UnprotectRtcp(Span<byte> packet, int length, uint ssrc, uint eIndex)
    {
        uint index = eIndex & 0x7FFF_FFFFu;
        Span<byte> iv = stackalloc byte[12];
        BuildIv(iv, ssrc, index >> 16, index & 0xFFFF);
        int tagStart = length - 4 - AesGcmAead.TagLength;
        var tag = packet.Slice(tagStart, AesGcmAead.TagLength);
        var trailer = packet.Slice(length - 4, 4);
        if ((eIndex & 0x8000_0000u) != 0)
        {
            Span<byte> aad = stackalloc byte[12];
            packet[..8].CopyTo(aad);
            trailer.CopyTo(aad[8..]);
            return _aead.Open(iv, aad, packet[8..tagStart], tag);
        }
        return _aead.Open(iv, packet[..tagStart], trailer, Span<byte>.Empty, tag);
    }

    public override void Dispose() => _aead.Dispose();
}
