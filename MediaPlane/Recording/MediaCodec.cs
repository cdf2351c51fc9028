namespace MediaPlane.Recording;

/// <summary>The codecs a recording can hold, as rebuilt from RTP.</summary>
public enum MediaCodec
{
    Vp8,
    Vp9,
    Av1,
    H264,
    Opus,
}

public static class MediaCodecExtensions
{
    public static bool IsVideo(this MediaCodec codec) => codec != MediaCodec.Opus;
}
