namespace MediaPlane.Srtp;

/// <summary>Why an SRTP or SRTCP packet was rejected. Unprotect never throws on bad input; it returns one of these.</summary>
public enum SrtpError
{
    /// <summary>The packet was authenticated (and decrypted); the plain length is valid.</summary>
    None = 0,

    /// <summary>Shorter than the fixed header plus the trailer the profile requires.</summary>
    TooShort,

    /// <summary>Not RTP/RTCP version 2, or the header (CSRCs, extension) runs past the packet.</summary>
    InvalidHeader,

    /// <summary>The authentication tag did not match: tampered, wrong key or wrong rollover guess.</summary>
    AuthFailed,

    /// <summary>The index was seen before or is older than the replay window (RFC 3711 §3.3.2).</summary>
    Replay,

    /// <summary>A new SSRC arrived but the session already tracks its maximum number of SSRCs.</summary>
    TooManySsrcs,
}
