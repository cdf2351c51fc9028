using MediaPlane.Recording.Depacketizers;
using MediaPlane.Rtp;

namespace MediaPlane.Recording.Pipeline;

/// <summary>
/// Records one participant's tracks (e.g. one video and one audio) into one file. RTP packets go through a
/// reorder buffer and the codec's depacketizer; complete frames are put on one timeline through each track's
/// sender-report clock (so audio and video stay in sync) and written. The file opens at the first video
/// keyframe (or the first audio frame of an audio-only recording); its time 0 is that frame's wall time.
/// A participant who goes away and comes back continues in the same file after a gap (times are wall time).
/// Owned by one thread: every call comes from the loop that owns the tracks.
/// </summary>
public sealed class ParticipantRecording : IDisposable
{
    private readonly TrackInput[] _inputs;
    private readonly Func<IReadOnlyList<RecordingTrack>, IRecordingWriter> _openWriter;
    private readonly bool _hasVideo;
    private IRecordingWriter? _writer;
    private long _originMicros;

    /// <param name="codecs">The tracks, in file order.</param>
    /// <param name="openWriter">Opens the container once the tracks' parameters are known.</param>
    /// <param name="maxWaitMicros">How long a missing packet is waited for (NACK round trip) before giving up.</param>
    public ParticipantRecording(IReadOnlyList<MediaCodec> codecs, Func<IReadOnlyList<RecordingTrack>, IRecordingWriter> openWriter,
        long maxWaitMicros = 150_000)
    {
        _inputs = [.. codecs.Select(c => new TrackInput(c, c.IsVideo() ? 512 : 64, maxWaitMicros))];
        _openWriter = openWriter;
        _hasVideo = codecs.Any(c => c.IsVideo());
    }

    public IRecordingWriter? Writer => _writer;

    public long FramesWritten { get; private set; }

    /// <summary>Wall-clock time (Unix microseconds) of the file's time 0; meaningful once <see cref="Writer"/> is open.</summary>
    public long OriginUnixMicros => _originMicros;

    /// <summary>File time of the latest frame written.</summary>
    public long LastFrameMicros { get; private set; }

    /// <summary>Whether a track's timing already comes from a sender report (else from arrival times).</summary>
    public bool HasSenderReport(int track) => _inputs[track].Clock.HasSenderReport;

    /// <summary>True when the track lost a frame for good and waits for a keyframe: send the publisher a PLI.</summary>
    public bool NeedsKeyframe(int track) => _inputs[track].Depacketizer.NeedsKeyframe;

    /// <summary>Missing sequence numbers of a track, to NACK.</summary>
    public int CollectMissing(int track, Span<ushort> destination) => _inputs[track].Reorder.CollectMissing(destination);

    public long LostPackets(int track) => _inputs[track].Reorder.LostPackets;

    public long DroppedFrames(int track) => _inputs[track].Depacketizer.DroppedFrames;

    /// <summary>Takes one RTP packet of a track (decrypted, any order); returns false for a packet that does not parse.</summary>
    public bool OnRtpPacket(int track, ReadOnlySpan<byte> packet, long arrivalUnixMicros)
    {
        if (!RtpPacketReader.TryParse(packet, out var rtp, out _))
            return false;
        var input = _inputs[track];
        if (!input.HasSsrc)
        {
            input.HasSsrc = true;
            input.Ssrc = rtp.Ssrc;
        }
        else if (rtp.Ssrc != input.Ssrc)
        {
            Drain(track, long.MaxValue); // what the old stream still holds, then the new one
            input.Restart(rtp.Ssrc);
        }
        input.Reorder.Insert(packet, rtp.SequenceNumber, arrivalUnixMicros);
        Drain(track, arrivalUnixMicros);
        return true;
    }

    /// <summary>Releases packets whose wait is over; call now and then (e.g. every 20 ms) when no packet arrives.</summary>
    public void Poll(long nowUnixMicros)
    {
        for (int track = 0; track < _inputs.Length; track++)
            Drain(track, nowUnixMicros);
    }

    /// <summary>An RTCP sender report of a track (RFC 3550 §6.4.1).</summary>
    public void OnSenderReport(int track, uint ssrc, ulong ntpTimestamp, uint rtpTimestamp)
    {
        var input = _inputs[track];
        if (!input.HasSsrc || input.Ssrc == ssrc)
            input.Clock.OnSenderReport(ntpTimestamp, rtpTimestamp);
    }

    private void Drain(int track, long nowUnixMicros)
    {
        var input = _inputs[track];
        while (input.Reorder.TryRelease(nowUnixMicros, out var packet))
        {
            if (!RtpPacketReader.TryParse(packet, out var rtp, out _))
                continue;
            long unwrapped = input.Clock.OnPacket(rtp.Timestamp, nowUnixMicros);
            if (input.Depacketizer.Push(rtp.Payload, rtp.SequenceNumber, rtp.Timestamp, rtp.Marker) == DepacketizeResult.FrameReady)
                OnFrame(track, input, unwrapped);
        }
    }

    private void OnFrame(int track, TrackInput input, long unwrappedTimestamp)
    {
        var depacketizer = input.Depacketizer;
        long wallMicros = input.ToWallMicros(unwrappedTimestamp);
        if (_writer is null)
        {
            bool canStart = _hasVideo ? input.Codec.IsVideo() && depacketizer.FrameIsKeyframe : true;
            if (!canStart)
                return;
            _writer = _openWriter(DescribeTracks(track, depacketizer));
            _originMicros = wallMicros;
        }
        long time = wallMicros - _originMicros;
        if (time < 0)
            return; // audio from before the first keyframe
        // Containers need increasing times per track (WebM counts in milliseconds).
        if (time < input.LastWrittenMicros + 1000)
            time = input.LastWrittenMicros + 1000;
        input.LastWrittenMicros = time;
        if (time > LastFrameMicros)
            LastFrameMicros = time;
        _writer.WriteFrame(track, time, depacketizer.Frame, depacketizer.FrameIsKeyframe);
        FramesWritten++;
    }

    /// <summary>Track parameters read from the keyframe that opens the file (and the parameter sets seen before it).</summary>
    private RecordingTrack[] DescribeTracks(int keyframeTrack, RtpDepacketizer keyframeSource)
    {
        var tracks = new RecordingTrack[_inputs.Length];
        for (int i = 0; i < _inputs.Length; i++)
        {
            var input = _inputs[i];
            var frame = i == keyframeTrack ? keyframeSource.Frame : default;
            tracks[i] = input.Depacketizer switch
            {
                Vp8Depacketizer when Vp8Depacketizer.TryReadKeyframeSize(frame, out int w, out int h) => new RecordingTrack(MediaCodec.Vp8, w, h),
                Vp9Depacketizer when Vp9Depacketizer.TryReadKeyframeSize(frame, out int w, out int h) => new RecordingTrack(MediaCodec.Vp9, w, h),
                H264Depacketizer h264 => H264SpsReader.TryReadSize(h264.Sps, out int w, out int h)
                    ? new RecordingTrack(MediaCodec.H264, w, h, AvcConfiguration.Build(h264.Sps, h264.Pps))
                    : new RecordingTrack(MediaCodec.H264, CodecConfiguration: AvcConfiguration.Build(h264.Sps, h264.Pps)),
                Av1Depacketizer av1 => new RecordingTrack(MediaCodec.Av1, CodecConfiguration: av1.BuildConfiguration()),
                _ => new RecordingTrack(input.Codec),
            };
        }
        return tracks;
    }

    public void Close() => _writer?.Close();

    public void Dispose()
    {
        _writer?.Dispose();
        foreach (var input in _inputs)
            input.Dispose();
    }
}
