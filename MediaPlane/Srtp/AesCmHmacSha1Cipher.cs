using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaPlane.Srtp;

/// <summary>
/// AES Counter Mode encryption with HMAC-SHA1 authentication (RFC 3711 §4.1.1, §4.2.1) for one set of
/// session keys. The IV is
///
///     IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)
///
/// with i the 48-bit SRTP index (ROC || SEQ) or the 31-bit SRTCP index. The SRTP tag covers
/// header || encrypted payload || ROC (§4.2); the SRTCP tag covers header || encrypted part || E|index (§3.4).
/// </summary>
internal sealed class AesCmHmacSha1Cipher : SrtpCipher
{
    private readonly AesCounterMode _aes;
    private readonly HmacSha1 _hmac;
    private readonly byte[] _salt = new byte[16];
    private readonly int _rtpTagLength;
    private readonly int _rtcpTagLength;

    /// <param name="key">Session encryption key (16 or 32 bytes).</param>
    /// <param name="salt">Session salt, 14 bytes.</param>
    /// <param name="authKey">Session authentication key, 20 bytes.</param>
    public AesCmHmacSha1Cipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authKey, int rtpTagLength, int rtcpTagLength)
    {
        if (salt.Length != 14)
            throw new ArgumentException("AES-CM session salt is 112 bits.", nameof(salt));
        if (rtpTagLength is < 4 or > HmacSha1.DigestLength || rtcpTagLength is < 4 or > HmacSha1.DigestLength)
            throw new ArgumentOutOfRangeException(nameof(rtpTagLength));
        _aes = new AesCounterMode(key);
        _hmac = new HmacSha1(authKey);
        salt.CopyTo(_salt);
        _rtpTagLength = rtpTagLength;
        _rtcpTagLength = rtcpTagLength;
    }

    public override int RtpTagLength => _rtpTagLength;

    public override int RtcpTagLength => _rtcpTagLength;

    public override int RtcpIndexOffsetFromEnd => _rtcpTagLength + 4;

    private void BuildIv(Span<byte> iv, uint ssrc, uint high, uint low)
    {
        // salt in octets 0..13, octets 14..15 zero; SSRC XOR octets 4..7; index (48 bits) XOR octets 8..13.
        _salt.CopyTo(iv);
        BinaryPrimitives.WriteUInt32BigEndian(iv[4..], BinaryPrimitives.ReadUInt32BigEndian(iv[4..]) ^ ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(iv[8..], BinaryPrimitives.ReadUInt32BigEndian(iv[8..]) ^ high);
        BinaryPrimitives.WriteUInt16BigEndian(iv[12..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(iv[12..]) ^ low));
    }

    public override int ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, uint roc, ushort seq)
    {
        Span<byte> iv = stackalloc byte[16];
        // i * 2^16 spans octets 8..13: ROC in 8..11, SEQ in 12..13.
        BuildIv(iv, ssrc, roc, seq);
        _aes.Transform(iv, packet[headerLength..length]);

        // Authenticated portion || ROC, then the tag replaces the ROC bytes (tag >= 4 bytes).
        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], roc);
        Span<byte> mac = stackalloc byte[HmacSha1.DigestLength];
        _hmac.Compute(packet[..(length + 4)], mac[.._rtpTagLength]);
        mac[.._rtpTagLength].CopyTo(packet[length..]);
        return length + _rtpTagLength;
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, uint roc, ushort seq)
    {
        int authLength = length - _rtpTagLength;
        Span<byte> received = stackalloc byte[HmacSha1.DigestLength];
        Span<byte> mac = stackalloc byte[HmacSha1.DigestLength];
        packet.Slice(authLength, _rtpTagLength).CopyTo(received);
        BinaryPrimitives.WriteUInt32BigEndian(packet[authLength..], roc);
        _hmac.Compute(packet[..(authLength + 4)], mac[.._rtpTagLength]);
        if (!CryptographicOperations.FixedTimeEquals(mac[.._rtpTagLength], received[.._rtpTagLength]))
            return false;

        Span<byte> iv = stackalloc byte[16];
        BuildIv(iv, ssrc, roc, seq);
        _aes.Transform(iv, packet[headerLength..authLength]);
        return true;
    }

    public override int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[16];
        // SRTCP index (31 bits) as i: octets 10..13.
        BuildIv(iv, ssrc, index >> 16, index & 0xFFFF);
        _aes.Transform(iv, packet[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], 0x8000_0000u | index);
        Span<byte> mac = stackalloc byte[HmacSha1.DigestLength];
        _hmac.Compute(packet[..(length + 4)], mac[.._rtcpTagLength]);
        mac[.._rtcpTagLength].CopyTo(packet[(length + 4)..]);
        return length + 4 + _rtcpTagLength;
    }

    public override bool UnprotectRtcp(Span<byte> packet, int length, uint ssrc, uint eIndex)
    {
        int authLength = length - _rtcpTagLength;
        Span<byte> mac = stackalloc byte[HmacSha1.DigestLength];
        _hmac.Compute(packet[..authLength], mac[.._rtcpTagLength]);
        if (!CryptographicOperations.FixedTimeEquals(mac[.._rtcpTagLength], packet.Slice(authLength, _rtcpTagLength)))
            return false;
        if ((eIndex & 0x8000_0000u) != 0)
        {
            uint index = eIndex & 0x7FFF_FFFFu;
            Span<byte> iv = stackalloc byte[16];
            BuildIv(iv, ssrc, index >> 16, index & 0xFFFF);
            _aes.Transform(iv, packet[8..(authLength - 4)]);
        }
        return true;
    }

    public override void Dispose()
    {
        _aes.Dispose();
        _hmac.Dispose();
    }
}
