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

/// <summary>Key, salt and tag lengths per profile (RFC 3711 §8.2, RFC 7714 §12).</summary>
public static class SrtpProfileInfo
{
    public static int MasterKeyLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.AeadAes256Gcm => 32,
        _ => 16,
    };

    public static int MasterSaltLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm => 12,
        _ => 14,
    };

    /// <summary>Authentication tag length appended to SRTP packets.</summary>
    public static int RtpAuthTagLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_32 => 4,
        _ => 10 + (profile is SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm ? 6 : 0),
    };

    public static bool IsKnown(this SrtpProfile profile) =>
        profile is SrtpProfile.AesCm128HmacSha1_80 or SrtpProfile.AesCm128HmacSha1_32
            or SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;
}
