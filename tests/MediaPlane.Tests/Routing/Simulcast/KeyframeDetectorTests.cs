using MediaPlane.Routing;

namespace MediaPlane.Tests.Routing.Simulcast;

/// <summary>Keyframe starts found in hand-made payloads (RFC 7741 for VP8, RFC 6184 for H.264).</summary>
public class KeyframeDetectorTests
{
    [Theory]
    [InlineData(new byte[] { 0x10, 0x00, 0x9D, 0x01, 0x2A }, true)]   // S=1 PID=0, P=0: keyframe
    [InlineData(new byte[] { 0x10, 0x01, 0x00 }, false)]              // P=1: interframe
    [InlineData(new byte[] { 0x00, 0x00, 0x00 }, false)]              // S=0: a continuation packet
    [InlineData(new byte[] { 0x11, 0x00, 0x00 }, false)]              // PID=1: not the first partition
    [InlineData(new byte[] { 0x90, 0x80, 0x85, 0x21, 0x00 }, true)]   // X, I with a 15-bit picture id (M), then P=0
    [InlineData(new byte[] { 0x90, 0x80, 0x05, 0x01 }, false)]        // X, I with a 7-bit picture id, then P=1
    [InlineData(new byte[] { 0x90, 0xF0, 0x85, 0x21, 0x07, 0x20, 0x00 }, true)] // I (M), L, T, K: four more bytes, then P=0
    [InlineData(new byte[] { 0x90, 0xF0, 0x85, 0x21, 0x07, 0x20 }, false)]      // the same, cut before the payload header
    [InlineData(new byte[] { 0x90 }, false)]                          // X without its byte
    [InlineData(new byte[0], false)]
    public void Vp8(byte[] payload, bool keyframe) =>
        KeyframeDetector.IsKeyframeStart(KeyframeCodec.Vp8, payload).Should().Be(keyframe);

    [Theory]
    [InlineData(new byte[] { 0x65, 0x88, 0x84 }, true)]  // single NAL unit, type 5 (IDR slice)
    [InlineData(new byte[] { 0x67, 0x42, 0xC0 }, true)]  // type 7 (SPS): a keyframe's first packet
    [InlineData(new byte[] { 0x41, 0x9A, 0x00 }, false)] // type 1 (non-IDR slice)
    [InlineData(new byte[] { 0x68, 0xCE }, false)]       // type 8 (PPS) alone
    // STAP-A (24): [size][NAL]...; SPS + PPS, then an IDR, or only non-IDR slices.
    [InlineData(new byte[] { 0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xCE }, true)]
    [InlineData(new byte[] { 0x78, 0x00, 0x01, 0x06, 0x00, 0x02, 0x65, 0x88 }, true)]
    [InlineData(new byte[] { 0x78, 0x00, 0x02, 0x41, 0x9A, 0x00, 0x02, 0x41, 0x9B }, false)]
    [InlineData(new byte[] { 0x78, 0x00, 0x09, 0x67 }, false)] // a size running past the packet
    // FU-A (28): FU indicator, FU header S E R Type.
    [InlineData(new byte[] { 0x7C, 0x85, 0x88 }, true)]  // S=1, type 5: the IDR starts here
    [InlineData(new byte[] { 0x7C, 0x05, 0x88 }, false)] // S=0: the middle of an IDR
    [InlineData(new byte[] { 0x7C, 0x81, 0x9A }, false)] // S=1, type 1
    [InlineData(new byte[] { 0x7C }, false)]
    [InlineData(new byte[0], false)]
    public void H264(byte[] payload, bool keyframe) =>
        KeyframeDetector.IsKeyframeStart(KeyframeCodec.H264, payload).Should().Be(keyframe);

    [Theory]
    [InlineData(new byte[] { 0x88, 0x00 }, true)]  // I, B, P=0: a frame that references nothing starts
    [InlineData(new byte[] { 0xC8, 0x00 }, false)] // P=1: inter-predicted
    [InlineData(new byte[] { 0x80, 0x00 }, false)] // B=0: not the frame's first packet
    [InlineData(new byte[0], false)]
    public void Vp9(byte[] payload, bool keyframe) =>
        KeyframeDetector.IsKeyframeStart(KeyframeCodec.Vp9, payload).Should().Be(keyframe);

    [Fact]
    public void Codecs_are_named_as_the_gateway_describes_them()
    {
        KeyframeDetector.CodecOf("VP8").Should().Be(KeyframeCodec.Vp8);
        KeyframeDetector.CodecOf("H264/42e01f").Should().Be(KeyframeCodec.H264);
        KeyframeDetector.CodecOf("VP9").Should().Be(KeyframeCodec.Vp9);
        KeyframeDetector.CodecOf("AV1").Should().Be(KeyframeCodec.Unknown);
        KeyframeDetector.IsKeyframeStart(KeyframeCodec.Unknown, [0x10, 0x00]).Should().BeFalse();
    }
}
