namespace MediaPlane.Srtp;

/// <summary>
/// The SRTP key derivation function (RFC 3711 §4.3) with key_derivation_rate 0, so r = index DIV kdr = 0:
///
///     key_id = label || r          (7 octets: 1 label octet, 48-bit r)
///     x      = key_id XOR master_salt   (key_id right-aligned in the 112-bit salt)
///     output = AES-CM keystream under the master key with IV = x * 2^16   (PRF, §4.3.3)
///
/// Generic in key length (AES-128, and AES-256 as in RFC 6188 §3 and RFC 7714). The 96-bit master salt of
/// the AEAD profiles (RFC 7714 §11) is used as the leftmost 96 bits of the 112-bit PRF salt, the rest zero,
/// as libsrtp and browsers do.
/// </summary>
internal static class SrtpKeyDerivation
{
    public const byte RtpEncryptionLabel = 0x00;
    public const byte RtpAuthenticationLabel = 0x01;
    public const byte RtpSaltLabel = 0x02;
    public const byte RtcpEncryptionLabel = 0x03;
    public const byte RtcpAuthenticationLabel = 0x04;
    public const byte RtcpSaltLabel = 0x05;

    public static void Derive(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length > 14)
            throw new ArgumentException("Master salt is at most 112 bits.", nameof(masterSalt));
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[7] ^= label;
        output.Clear();
        prf.Transform(iv, output);
    }

    /// <summary>Derives one session key with a fresh PRF keyed by <paramref name="masterKey"/>.</summary>
    public static byte[] Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        using var prf = new AesCounterMode(masterKey);
        var output = new byte[length];
        Derive(prf, masterSalt, label, output);
        return output;
    }
}
