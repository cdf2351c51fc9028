using MediaPlane.Recording.Depacketizers;
using MediaPlane.Recording.JitterBuffer;
using MediaPlane.Recording.Timing;

namespace MediaPlane.Recording.Pipeline;

/// <summary>One recorded RTP stream: reorder buffer, depacketizer and sender-report clock, owned together.</summary>
internal sealed class TrackInput(MediaCodec codec, int reorderCapacity, long maxWaitMicros) : IDisposable
{
    /// <summary>At most this much correction of the wall-clock offset per frame (see <see cref="ToFileMicros"/>).</summary>
    public const long MaxSlewMicrosPerFrame = 2_000;

    /// <summary>A larger disagreement is a new clock (sender restart), taken at once.</summary>
    public const long MaxSlewableMicros = 1_000_000;

    private long _appliedOffset;
    private bool _hasOffset;

    public MediaCodec Codec { get; } = codec;

    public ReorderBuffer Reorder { get; } = new(reorderCapacity, maxWaitMicros);

    public RtpDepacketizer Depacketizer { get; } = codec switch
    {
        MediaCodec.Vp8 => new Vp8Depacketizer(),
        MediaCodec.Vp9 => new Vp9Depacketizer(),
        MediaCodec.Av1 => new Av1Depacketizer(),
        MediaCodec.H264 => new H264Depacketizer(),
        _ => new OpusDepacketizer(),
    };

    public SenderReportClock Clock { get; private set; } = new(codec.IsVideo() ? 90000 : 48000);

    /// <summary>The SSRC this input follows; another SSRC on the same track is the sender coming back.</summary>
    public uint Ssrc { get; set; }

    public bool HasSsrc { get; set; }

    /// <summary>
    /// Wall-clock time of a frame: its RTP time plus the stream's offset to wall time. The offset comes from
    /// the sender-report clock; when a new report moves it (the first report after the arrival-time guess,
    /// or the sender's clocks drifting) the applied offset follows by at most <see cref="MaxSlewMicrosPerFrame"/>
    /// per frame, so frame times never jump backwards while audio and video converge on the reports' sync.
    /// </summary>
    public long ToWallMicros(long unwrappedTimestamp)
    {
        long mediaMicros = unwrappedTimestamp * 1_000_000 / Clock.ClockRate;
        long target = Clock.ToUnixMicros(unwrappedTimestamp) - mediaMicros;
        if (!_hasOffset || Math.Abs(target - _appliedOffset) > MaxSlewableMicros)
            _appliedOffset = target;
        else
            _appliedOffset += Math.Clamp(target - _appliedOffset, -MaxSlewMicrosPerFrame, MaxSlewMicrosPerFrame);
        _hasOffset = true;
        return mediaMicros + _appliedOffset;
    }

    /// <summary>The sender came back with a new stream (new SSRC, sequence and timestamp bases): start over.</summary>
    public void Restart(uint ssrc)
    {
        Ssrc = ssrc;
        Reorder.Reset();
        Depacketizer.Reset();
        Clock = new SenderReportClock(Clock.ClockRate);
        _hasOffset = false;
    }

    /// <summary>File time of the last frame written, to keep each track's times increasing.</summary>
    public long LastWrittenMicros { get; set; } = long.MinValue;

    public void Dispose() => Depacketizer.Dispose();
}
