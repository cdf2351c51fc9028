namespace MediaPlane.Srtp;

/// <summary>
/// SRTP protection profiles, numbered as in the IANA "DTLS-SRTP Protection Profiles" registry
/// (RFC 5764 §4.1.2, RFC 7714 §14.2), so the value is what use_srtp carries on the wire.
/// </summary>
public enum SrtpProfile : ushort
{
    AesCm128HmacSha1_80 = 0x0001,
    AesCm128HmacSha1_32 = 0x0002,
    AeadAes128Gcm = 0x0007,
    AeadAes256Gcm = 0x0008,
}

/// <summary>Key, salt and tag lengths per profile (RFC 3711 §8.2, RFC 5764 §4.1.2, RFC 7714 §12, §14.2).</summary>
public static class SrtpProfileInfo
{
    public static int MasterKeyLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.AeadAes256Gcm => 32,
        _ => 16,
    };

    /// <summary>Master salt: 112 bits for AES-CM (RFC 3711 §8.2), 96 bits for AEAD AES-GCM (RFC 7714 §14.2).</summary>
    public static int MasterSaltLength(this SrtpProfile profile) => profile.IsAead() ? 12 : 14;

    /// <summary>
    /// Authentication tag appended to SRTP packets: 80 bits for _80, 32 bits for _32 (RFC 5764 §4.1.2),
    /// 128 bits for AEAD AES-GCM (RFC 7714 §14.2).
    /// </summary>
    public static int RtpAuthTagLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_32 => 4,
        SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm => 16,
        _ => 10,
    };

    /// <summary>
    /// Authentication tag of SRTCP packets: RFC 5764 §4.1.2 keeps the 80-bit SRTCP tag for
    /// SRTP_AES128_CM_HMAC_SHA1_32 too; AEAD AES-GCM uses 128 bits.
    /// </summary>
    public static int RtcpAuthTagLength(this SrtpProfile profile) => profile.IsAead() ? 16 : 10;

    /// <summary>Bytes SRTP adds to an RTP packet (tag only; no MKI is used with DTLS-SRTP).</summary>
    public static int RtpOverhead(this SrtpProfile profile) => profile.RtpAuthTagLength();

    /// <summary>Bytes SRTCP adds to an RTCP packet: the E flag and 31-bit index word plus the tag.</summary>
    public static int RtcpOverhead(this SrtpProfile profile) => 4 + profile.RtcpAuthTagLength();

    public static bool IsAead(this SrtpProfile profile) =>
        profile is SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;

    public static bool IsKnown(this SrtpProfile profile) =>
        profile is SrtpProfile.AesCm128HmacSha1_80 or SrtpProfile.AesCm128HmacSha1_32
            or SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;
}
