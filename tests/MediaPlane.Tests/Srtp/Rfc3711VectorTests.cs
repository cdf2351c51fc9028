using MediaPlane.Srtp;

namespace MediaPlane.Tests.Srtp;

/// <summary>RFC 3711 Appendix B.2 (AES-CM) and B.3 (key derivation), plus full-packet AES-CM vectors.</summary>
public class Rfc3711VectorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    [Fact]
    public void B2_AesCmKeystream_MatchesFirstAndLastBlocks()
    {
        // B.2: session key, salt already shifted (ROC, SEQ, SSRC all zero), 65282 blocks of keystream.
        using var aes = new AesCounterMode(Hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        var keystream = new byte[1044512];
        aes.Transform(Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);

        Convert.ToHexString(keystream, 0, 16).Should().Be("E03EAD0935C95E80E166B16DD92B4EB4");
        Convert.ToHexString(keystream, 16, 16).Should().Be("D23513162B02D0F72A43A2FE4A5F97AB");
        Convert.ToHexString(keystream, 32, 16).Should().Be("41E95B3BB0A2E8DD477901E4FCA894C0");
        Convert.ToHexString(keystream, 0xFEFF * 16, 16).Should().Be("EC8CDF7398607CB0F2D21675EA9EA1E4");
        Convert.ToHexString(keystream, 0xFF00 * 16, 16).Should().Be("362B7C3C6773516318A077D7FC5073AE");
        Convert.ToHexString(keystream, 0xFF01 * 16, 16).Should().Be("6A2CC3787889374FBEB4C81B17BA6C44");
    }

    [Fact]
    public void B2_PartialBlocks_MatchWholeKeystream()
    {
        using var aes = new AesCounterMode(Hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        var iv = Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        var whole = new byte[300];
        aes.Transform(iv, whole);
        for (int n = 0; n < 300; n += 7)
        {
            var part = new byte[n];
            aes.Transform(iv, part);
            part.Should().Equal(whole.Take(n));
        }
    }

    [Fact]
    public void B3_KeyDerivation_DerivesCipherKeySaltAndAuthKey()
    {
        var masterKey = Hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        var masterSalt = Hex("0EC675AD498AFEEBB6960B3AABE6");

        Convert.ToHexString(SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryptionLabel, 16))
            .Should().Be("C61E7A93744F39EE10734AFE3FF7A087");
        Convert.ToHexString(SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSaltLabel, 14))
            .Should().Be("30CBBC08863D8C85D49DB34A9AE1");
        Convert.ToHexString(SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, 94))
            .Should().StartWith("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E47403576" + "6B68642C59BBFC2F34DB60DBDFB2");
    }

    // Full-packet AES_CM_128_HMAC_SHA1_80 vector of libsrtp's test driver (master key and salt of B.3,
    // SSRC 0xcafebabe, SEQ 0x1234, ROC 0; SRTCP index 1).
    private const string CmMasterKey = "E1F97A0D3E018BE0D64FA32C06DE4139";
    private const string CmMasterSalt = "0EC675AD498AFEEBB6960B3AABE6";
    private const string RtpPlain = "800F1234DECAFBADCAFEBABE" + "ABABABABABABABABABABABABABABABAB";
    private const string RtpProtected = "800F1234DECAFBADCAFEBABE" + "4E55DC4CE79978D88CA4D215949D2402" + "B78D6ACC99EA179B8DBB";
    private const string RtcpPlain = "81C8000BCAFEBABE" + "ABABABABABABABABABABABABABABABAB";
    private const string RtcpProtectedIndex1 = "81C8000BCAFEBABE" + "7128035BE487B9BDBEF89041F977A5A8" + "80000001" + "993E08CD54D6C1230798";

    [Fact]
    public void AesCm128_ProtectRtp_MatchesKnownPacket()
    {
        using var session = new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, Hex(CmMasterKey), Hex(CmMasterSalt));
        var buffer = new byte[64];
        Hex(RtpPlain).CopyTo(buffer, 0);
        session.TryProtectRtp(buffer, 28, out int length).Should().BeTrue();
        Convert.ToHexString(buffer, 0, length).Should().Be(RtpProtected);
    }

    [Fact]
    public void AesCm128_UnprotectRtp_MatchesKnownPacket()
    {
        using var session = new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, Hex(CmMasterKey), Hex(CmMasterSalt));
        var buffer = Hex(RtpProtected);
        session.UnprotectRtp(buffer, buffer.Length, out int length).Should().Be(SrtpError.None);
        Convert.ToHexString(buffer, 0, length).Should().Be(RtpPlain);
    }

    [Fact]
    public void AesCm128_Rtcp_MatchesKnownPacketAtIndexOne()
    {
        using var sender = new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, Hex(CmMasterKey), Hex(CmMasterSalt));
        var buffer = new byte[64];
        Hex(RtcpPlain).CopyTo(buffer, 0);
        sender.TryProtectRtcp(buffer, 24, out _).Should().BeTrue(); // index 0
        Hex(RtcpPlain).CopyTo(buffer, 0);
        sender.TryProtectRtcp(buffer, 24, out int length).Should().BeTrue(); // index 1
        Convert.ToHexString(buffer, 0, length).Should().Be(RtcpProtectedIndex1);

        using var receiver = new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, Hex(CmMasterKey), Hex(CmMasterSalt));
        var packet = Hex(RtcpProtectedIndex1);
        receiver.UnprotectRtcp(packet, packet.Length, out int plain).Should().Be(SrtpError.None);
        Convert.ToHexString(packet, 0, plain).Should().Be(RtcpPlain);
    }

    /// <summary>
    /// RFC 6188 (AES-256 in SRTP) key derivation, checked end to end: the KDF keyed with a 256-bit master key
    /// feeds AES-256-CM + HMAC-SHA1-80 and must reproduce libsrtp's AES_256_CM_HMAC_SHA1_80 packet.
    /// We do not offer that profile over DTLS; this pins the generic KDF that AEAD_AES_256_GCM relies on.
    /// </summary>
    [Fact]
    public void Rfc6188_Aes256KeyDerivation_ReproducesAes256CmPacket()
    {
        var masterKey = Hex("F0F04914B513F2763A1B1FA130F10E2998F6F6E43E4309D1E622A0E332B9F1B6");
        var masterSalt = Hex("3B04803DE51EE7C96423AB5B78D2");
        var key = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryptionLabel, 32);
        var salt = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSaltLabel, 14);
        var auth = SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, 20);
        var cipher = new AesCmHmacSha1Cipher(key, salt, auth, 10, 10);
        var rtcpCipher = new AesCmHmacSha1Cipher(key, salt, auth, 10, 10);
        using var session = new SrtpSession(SrtpProfile.AesCm128HmacSha1_80, (cipher, rtcpCipher));

        var buffer = new byte[64];
        Hex(RtpPlain).CopyTo(buffer, 0);
        session.TryProtectRtp(buffer, 28, out int length).Should().BeTrue();
        Convert.ToHexString(buffer, 0, length).Should().Be(
            "800F1234DECAFBADCAFEBABE" + "F1D9DE17FF251FF1AA007774B0B4B40D" + "A08D9D9A5B3A55D8873B");
    }
}
