using MediaPlane.Fuzz.Targets;
using MediaPlane.Stun;

namespace MediaPlane.Tests.Regressions;

/// <summary>Inputs the seeded random-input runs once failed on, kept so they stay fixed.</summary>
public class FuzzRegressionTests
{
    // ERROR-CODE with class 2 / number 0x3C (60) and class bits garbage: the accessor used to report
    // codes outside 300-699 (class*100+number with number up to 255). Now it refuses them.
    private const string StunBadErrorCode =
        "0EBA00242112A442CB0AF5922E207B812FA30C5F0009001E2A3CA776B35735F874719CC58A75F2CCAE587A9857CB2FDDBB62BC27C847F70A9F";

    // A valid STUN header with first byte 0x20 (method > 0x3FF): parses as STUN, classified DTLS by
    // RFC 7983. The demux invariant was wrong, not the code; kept to pin the documented behaviour.
    private const string StunHeaderWithDtlsFirstByte =
        "200100582112A442B7E7A701BC34D686FA87DFAE8022001053EB154E207465737420636C69656E74002400046E0001FF80290008932FF9B151263B36000600096576746A3A68367659202020000800149AEAA70CBFD8CB56781EF2B50037F249C1B571A280280004E57A3BCF";

    [Fact]
    public void Stun_error_code_outside_rfc_range_is_refused()
    {
        var input = Convert.FromHexString(StunBadErrorCode);
        new StunFuzzTarget().Run(input);
        StunMessageReader.TryParse(input, out var reader, out _).Should().BeTrue();
        reader.TryGetErrorCode(out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Stun_like_datagram_with_first_byte_above_3_is_not_classified_stun()
    {
        var input = Convert.FromHexString(StunHeaderWithDtlsFirstByte);
        new DemuxFuzzTarget().Run(input);
        MediaPlane.Demux.PacketClassifier.Classify(input).Should().Be(MediaPlane.Demux.PacketKind.Dtls);
    }
}
