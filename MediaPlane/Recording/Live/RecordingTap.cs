using MediaPlane.Routing;

namespace MediaPlane.Recording.Live;

/// <summary>
/// One recorded track's tap on its producer: the producer's loop copies each packet into <see cref="Ring"/>;
/// the recording's writer thread takes them out. The latest sender report is kept under a small lock
/// (a report a second, from whichever loop its RTCP arrived on).
/// </summary>
internal sealed class RecordingTap(Producer producer, int trackIndex, int ringCapacity) : IRecordingTap
{
    private readonly Lock _reportLock = new();
    private ulong _reportNtp;
    private uint _reportRtp;
    private bool _hasNewReport;

    public Producer Producer { get; } = producer;

    /// <summary>The track of the participant's file this stream goes to (video first, then audio).</summary>
    public int TrackIndex { get; } = trackIndex;

    public PacketRing Ring { get; } = new(ringCapacity);

    /// <summary>On the producer's loop, for every packet.</summary>
    public void Forward(ReadOnlySpan<byte> packet) => Ring.TryWrite(packet, WallClock.NowUnixMicros());

    public void OnSenderReport(ulong ntpTimestamp, uint rtpTimestamp)
    {
        lock (_reportLock)
        {
            _reportNtp = ntpTimestamp;
            _reportRtp = rtpTimestamp;
            _hasNewReport = true;
        }
    }

    /// <summary>On the writer thread: the report received since the last call, if any.</summary>
    public bool TryTakeSenderReport(out ulong ntpTimestamp, out uint rtpTimestamp)
    {
        lock (_reportLock)
        {
            ntpTimestamp = _reportNtp;
            rtpTimestamp = _reportRtp;
            bool fresh = _hasNewReport;
            _hasNewReport = false;
            return fresh;
        }
    }
}
