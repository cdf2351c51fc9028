namespace MediaPlane.Recording;

/// <summary>
/// One track of a recording file, fixed when the file is opened (at the first video keyframe).
/// <see cref="CodecConfiguration"/> is the codec's decoder configuration record: avcC for H.264 (ISO/IEC
/// 14496-15 §5.3.3), av1C for AV1 (AV1-ISOBMFF §2.3); empty for VP8, VP9 and Opus (the writers build OpusHead
/// and dOps themselves).
/// </summary>
public sealed record RecordingTrack(MediaCodec Codec, int Width = 0, int Height = 0, byte[]? CodecConfiguration = null,
    int SampleRate = 48000, int Channels = 2)
{
    public bool IsVideo => Codec.IsVideo();

    /// <summary>RTP clock rate: 90 kHz for video (RFC 7741 §6.1 and kin), 48 kHz for Opus (RFC 7587 §4.1).</summary>
    public int ClockRate => IsVideo ? 90000 : 48000;
}
