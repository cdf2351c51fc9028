using MediaPlane.Srtp;

namespace MediaPlane.Tests.Srtp;

/// <summary>
/// RFC 7714 §16 (SRTP) and §17 (SRTCP) vectors for AEAD_AES_128_GCM and AEAD_AES_256_GCM. The RFC gives
/// session keys, so sessions are built from ready ciphers.
/// </summary>
public class Rfc7714VectorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    private const string Key128 = "000102030405060708090A0B0C0D0E0F";
    private const string Key256 = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
    private const string Salt = "517569642070726F2071756F";

    // SSRC 0x5501a0b2, SEQ 0xf17b, ROC 0; payload "Gallia est omnis divisa in partes tres".
    private const string RtpPlain = "8040F17B8041F8D35501A0B2"
        + "47616C6C69612065737420 6F6D6E697320646976697361 20696E207061727465732074726573";

    private const string Rtp128 = "8040F17B8041F8D35501A0B2"
        + "F24DE3A3FB34DE6CACBA861C9D7E4BCABE633BD50D294E6F42A5F47A51C7D19B36DE3ADF8833"
        + "899D7F27BEB16A9152CF765EE4390CCE";

    private const string Rtp256 = "8040F17B8041F8D35501A0B2"
        + "32B1DE78A822FE12EF9F78FA332E33AAB18012389A58E2F3B50B2A0276FFAE0F1BA63799B87B"
        + "7AA3DB36DFFFD6B0F9BB7878D7A76C13";

    // SSRC 0x4d617273, SRTCP index 0x5d4 with E set.
    private const string RtcpPlain = "81C8000D4D617273"
        + "4E5450314E5450325254502000000 42A0000E9304C756E61DEADBEEFDEADBEEFDEADBEEFDEADBEEFDEADBEEF";

    private const string Rtcp128 = "81C8000D4D617273"
        + "63E94885DCDAB67CA727D7662F6B7E997FF5C0F76C06F32DC676A5F1730D6FDA4CE09B4686303DED0BB9275BC84AA458"
        + "96CF4D2FC5ABF87245D9EADE" + "800005D4";

    private const string Rtcp256 = "81C8000D4D617273"
        + "D50AE4D1F5CE5D304BA297E47D470C282C3ECE5DBFFE0A50A2EAA5C1110555BE8415F658C61DE0476F1B6FAD1D1EB30C"
        + "4446839F57FF6F6CB26AC3BE" + "800005D4";

    private static SrtpSession Session(string key) =>
        new(SrtpProfile.AeadAes128Gcm, (new AesGcmCipher(Hex(key), Hex(Salt)), new AesGcmCipher(Hex(key), Hex(Salt))));

    [Theory]
    [InlineData(Key128, Rtp128)]
    [InlineData(Key256, Rtp256)]
    public void Srtp_Protect_MatchesSection16(string key, string expected)
    {
        using var session = Session(key);
        var buffer = new byte[128];
        var plain = Hex(RtpPlain);
        plain.CopyTo(buffer, 0);
        session.TryProtectRtp(buffer, plain.Length, out int length).Should().BeTrue();
        Convert.ToHexString(buffer, 0, length).Should().Be(expected);
    }

    [Theory]
    [InlineData(Key128, Rtp128)]
    [InlineData(Key256, Rtp256)]
    public void Srtp_Unprotect_MatchesSection16(string key, string packet)
    {
        using var session = Session(key);
        var buffer = Hex(packet);
        session.UnprotectRtp(buffer, buffer.Length, out int length).Should().Be(SrtpError.None);
        Convert.ToHexString(buffer, 0, length).Should().Be(Convert.ToHexString(Hex(RtpPlain)));
    }

    [Theory]
    [InlineData(Key128, Rtcp128)]
    [InlineData(Key256, Rtcp256)]
    public void Srtcp_Protect_MatchesSection17(string key, string expected)
    {
        using var cipher = new AesGcmCipher(Hex(key), Hex(Salt));
        var buffer = new byte[128];
        var plain = Hex(RtcpPlain);
        plain.CopyTo(buffer, 0);
        int length = cipher.ProtectRtcp(buffer, plain.Length, 0x4D617273, 0x5D4);
        Convert.ToHexString(buffer, 0, length).Should().Be(expected);
    }

    [Theory]
    [InlineData(Key128, Rtcp128)]
    [InlineData(Key256, Rtcp256)]
    public void Srtcp_Unprotect_MatchesSection17(string key, string packet)
    {
        using var session = Session(key);
        var buffer = Hex(packet);
        session.UnprotectRtcp(buffer, buffer.Length, out int length).Should().Be(SrtpError.None);
        Convert.ToHexString(buffer, 0, length).Should().Be(Convert.ToHexString(Hex(RtcpPlain)));
    }

    [Fact]
    public void Srtcp_TamperedIndex_FailsAuthentication()
    {
        // The E|index word is AAD (§9.2): changing it must break the tag.
        using var session = Session(Key128);
        var buffer = Hex(Rtcp128);
        buffer[^1] ^= 0x01;
        session.UnprotectRtcp(buffer, buffer.Length, out _).Should().Be(SrtpError.AuthFailed);
    }
}
