using Gateway.Sdp;

namespace Gateway.Tests.Sdp;

public class H264ProfileLevelIdTests
{
    [Theory]
    [InlineData("42e01f", H264Profile.ConstrainedBaseline)]
    [InlineData("42c01f", H264Profile.ConstrainedBaseline)]
    [InlineData("4de01f", H264Profile.ConstrainedBaseline)]
    [InlineData("58c01f", H264Profile.ConstrainedBaseline)]
    [InlineData("42001f", H264Profile.Baseline)]
    [InlineData("42801f", H264Profile.Baseline)]
    [InlineData("58801f", H264Profile.Baseline)]
    [InlineData("4d001f", H264Profile.Main)]
    [InlineData("4d401f", H264Profile.Main)]
    [InlineData("58001f", H264Profile.Extended)]
    [InlineData("64001f", H264Profile.High)]
    [InlineData("640c1f", H264Profile.ConstrainedHigh)]
    [InlineData("640c34", H264Profile.ConstrainedHigh)]
    [InlineData("6e001f", H264Profile.High10)]
    [InlineData("f4001f", H264Profile.PredictiveHigh444)]
    [InlineData("64081f", H264Profile.Unknown)]
    public void Classifies_profiles(string text, H264Profile expected)
    {
        H264ProfileLevelId.TryParse(text, out var value).Should().BeTrue();

        value.Profile.Should().Be(expected);
        value.ToString().Should().Be(text);
    }

    [Theory]
    [InlineData("42e01f", "42e034", true)]
    [InlineData("42e01f", "4de01f", true)]
    [InlineData("42e01f", "42001f", false)]
    [InlineData("42001f", "42000a", true)]
    [InlineData("4d001f", "4d0032", true)]
    [InlineData("4d001f", "64001f", false)]
    [InlineData("640c1f", "64001f", false)]
    [InlineData("64081f", "64081f", true)]
    [InlineData("64081f", "64041f", false)]
    public void Same_profile_ignores_level(string a, string b, bool same)
    {
        H264ProfileLevelId.TryParse(a, out var x).Should().BeTrue();
        H264ProfileLevelId.TryParse(b, out var y).Should().BeTrue();

        x.SameProfile(y).Should().Be(same);
        y.SameProfile(x).Should().Be(same);
    }

    [Fact]
    public void Absent_parameter_means_baseline_level_1_and_bad_values_fail()
    {
        H264ProfileLevelId.TryFromFmtp(new SdpFmtp(102, "packetization-mode=1"), out var absent).Should().BeTrue();
        absent.Should().Be(new H264ProfileLevelId(0x42, 0x00, 0x0A));
        absent.Profile.Should().Be(H264Profile.Baseline);

        H264ProfileLevelId.TryParse("42e01", out _).Should().BeFalse();
        H264ProfileLevelId.TryParse("42e01g", out _).Should().BeFalse();
        H264ProfileLevelId.TryParse("+42e01", out _).Should().BeFalse();
        H264ProfileLevelId.TryParse(null, out _).Should().BeFalse();
        H264ProfileLevelId.TryFromFmtp(new SdpFmtp(102, "profile-level-id=zzzzzz"), out _).Should().BeFalse();
    }

    [Fact]
    public void Level_1b_is_recognised()
    {
        H264ProfileLevelId.TryParse("42f00b", out var level1b).Should().BeTrue();
        level1b.IsLevel1b.Should().BeTrue();
        H264ProfileLevelId.TryParse("42e00b", out var level11).Should().BeTrue();
        level11.IsLevel1b.Should().BeFalse();
    }
}
