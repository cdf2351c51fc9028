using MediaPlane.Recording.Depacketizers;

namespace MediaPlane.Tests.Recording;

/// <summary>
/// The picture size in an H.264 SPS (H.264 §7.3.2.1.1), for the MP4 sample entry. The sets are x264's (ffmpeg,
/// the fuzz corpus's seeds): emulation-prevention bytes, high and baseline profiles, and frame cropping (1080 and
/// 360 are not multiples of 16).
/// </summary>
public sealed class H264SpsReaderTests
{
    [Theory]
    [InlineData("6764000cacd94141fb011000000300100000030020f1429960", 320, 240)]
    [InlineData("67640028acd940780227e5c044000003000400000300083c60c658", 1920, 1080)]
    [InlineData("6742c016d900a02ff97011000003000100000300020f162e48", 640, 360)]
    public void The_size_is_read_with_cropping_applied(string hex, int width, int height)
    {
        H264SpsReader.TryReadSize(Convert.FromHexString(hex), out int w, out int h).Should().BeTrue();
        (w, h).Should().Be((width, height));
    }

    [Theory]
    [InlineData("")]
    [InlineData("6742c016")]                       // cut short
    [InlineData("6842c016d900a02ff97011000003")]   // a PPS, not an SPS
    [InlineData("67640028ff")]                     // exp-Golomb runs past the end
    public void A_set_it_cannot_read_is_refused_without_throwing(string hex)
    {
        H264SpsReader.TryReadSize(Convert.FromHexString(hex), out int w, out int h).Should().BeFalse();
        (w, h).Should().Be((0, 0));
    }
}
