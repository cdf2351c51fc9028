using MediaPlane.Contracts;
using System.Collections.Concurrent;
using MediaPlane.Recording.Mp4;
using MediaPlane.Recording.Pipeline;
using MediaPlane.Recording.WebM;
using MediaPlane.Routing;

namespace MediaPlane.Recording.Live;

/// <summary>
/// One file of a live recording (one participant: a video and an audio track). Owned by the recording's
/// writer thread: it drains the taps' rings into the <see cref="ParticipantRecording"/> (reorder, depacketize,
/// sync, write), NACKs holes and asks for a keyframe after a loss it could not repair. Streams are attached
/// from control threads through <see cref="Attach"/>; the writer thread installs them (a returning
/// participant's new streams replace the old ones on the same tracks: same file, after a gap).
/// Status fields are written by the writer thread and read by anyone (a torn read costs one stale sample).
/// </summary>
internal sealed class RecordedFile : IDisposable
{
    /// <summary>How often the holes of a track are NACKed again (about a round trip).</summary>
    private const long NackIntervalMicros = 40_000;
    private const int VideoRing = 1024, AudioRing = 128;

    private readonly ParticipantRecording _recording;
    private readonly RecordingTap?[] _taps;
    private readonly long[] _lastNackMicros;
    private readonly ConcurrentQueue<Producer> _attachments = new();
    private readonly ushort[] _missing = new ushort[64];
    private FileStream? _stream; // the writers leave their output open: closed here
    private long _bytes; // the writer's count, read on the writer thread (its stream is not for other threads)
    private volatile string? _error;
    private volatile bool _finished;

    public RecordedFile(string name, string path, RecordingContainer container, IReadOnlyList<MediaCodec> codecs)
    {
        Name = name;
        Path = path;
        Codecs = codecs;
        _taps = new RecordingTap?[codecs.Count];
        _lastNackMicros = new long[codecs.Count];
        _recording = new ParticipantRecording(codecs, tracks =>
        {
            var stream = _stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
            return container == RecordingContainer.Mp4 ? new FragmentedMp4Writer(stream, tracks) : new WebMWriter(stream, tracks);
        });
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>The file's tracks: video first, then audio.</summary>
    public IReadOnlyList<MediaCodec> Codecs { get; }

    public string? Error => _error;

    public RecordedFileStatus Status()
    {
        var writer = _recording.Writer;
        var state = _error is not null ? RecordedFileState.Failed
            : _finished ? RecordedFileState.Finished
            : writer is null ? RecordedFileState.Waiting : RecordedFileState.Recording;
        long lost = 0;
        for (int i = 0; i < Codecs.Count; i++)
            lost += _recording.LostPackets(i);
        return new RecordedFileStatus(Name, Path, state, writer is null ? 0 : _recording.OriginUnixMicros, _recording.LastFrameMicros,
            Interlocked.Read(ref _bytes), _recording.FramesWritten, lost, _error);
    }

    /// <summary>From a control thread: a stream for the track of its codec; installed by the writer thread.</summary>
    public void Attach(Producer producer) => _attachments.Enqueue(producer);

    /// <summary>The track a stream of <paramref name="codec"/> goes to, or -1.</summary>
    public int TrackFor(MediaCodec codec)
    {
        for (int i = 0; i < Codecs.Count; i++)
        {
            if (Codecs[i] == codec)
                return i;
        }
        return -1;
    }

    /// <summary>On the writer thread: everything that arrived, then what the reorder buffers may release by now.</summary>
    public void Pump(long nowUnixMicros)
    {
        if (_error is not null || _finished)
            return;
        try
        {
            InstallAttachments();
            for (int track = 0; track < _taps.Length; track++)
            {
                if (_taps[track] is { } tap)
                    Drain(track, tap);
            }
            _recording.Poll(nowUnixMicros);
            RequestRepairs(nowUnixMicros);
            CountBytes();
        }
        catch (Exception e)
        {
            Fail(e); // a disk error, or a bug: this file stops, the thread and the silo go on
        }
    }

    private void InstallAttachments()
    {
        while (_attachments.TryDequeue(out var producer))
        {
            int track = LiveRecording.CodecOf(producer.Track.Codec) is { } codec ? TrackFor(codec) : -1;
            if (track < 0)
                continue; // checked before it was queued; a codec the file has no track for is not recorded
            if (_taps[track] is { } old)
            {
                old.Producer.RemoveRecordingTap(old);
                Drain(track, old);
            }
            var tap = new RecordingTap(producer, track, Codecs[track].IsVideo() ? VideoRing : AudioRing);
            _taps[track] = tap;
            producer.AddRecordingTap(tap);
            RecordingFeedback.PostKeyframeRequest(producer); // the file starts at a keyframe: do not wait for the next periodic one
        }
    }

    private void Drain(int track, RecordingTap tap)
    {
        if (tap.TryTakeSenderReport(out ulong ntp, out uint rtp))
            _recording.OnSenderReport(track, tap.Producer.Track.Ssrc, ntp, rtp);
        while (tap.Ring.TryPeek(out var packet, out long arrival))
        {
            _recording.OnRtpPacket(track, packet, arrival);
            tap.Ring.Release();
        }
    }

    private void RequestRepairs(long nowUnixMicros)
    {
        for (int track = 0; track < _taps.Length; track++)
        {
            if (_taps[track] is not { } tap)
                continue;
            if (_recording.NeedsKeyframe(track))
                RecordingFeedback.PostKeyframeRequest(tap.Producer);
            if (nowUnixMicros - _lastNackMicros[track] < NackIntervalMicros)
                continue;
            int count = _recording.CollectMissing(track, _missing);
            if (count == 0)
                continue;
            _lastNackMicros[track] = nowUnixMicros;
            // RFC 4585 §6.2.1: one PID and a bitmask of the 16 sequence numbers after it.
            for (int i = 0; i < count;)
            {
                ushort packetId = _missing[i++];
                ushort mask = 0;
                while (i < count && (ushort)(_missing[i] - packetId) is >= 1 and <= 16)
                    mask |= (ushort)(1 << ((ushort)(_missing[i++] - packetId) - 1));
                RecordingFeedback.PostNack(tap.Producer, packetId, mask);
            }
        }
    }

    /// <summary>On the writer thread, at the end: what is still held, then the index; the taps come off.</summary>
    public void Finish()
    {
        try
        {
            InstallAttachments();
            for (int track = 0; track < _taps.Length; track++)
            {
                if (_taps[track] is { } tap)
                {
                    tap.Producer.RemoveRecordingTap(tap);
                    if (_error is null)
                        Drain(track, tap);
                }
            }
            if (_error is null)
            {
                _recording.Poll(long.MaxValue / 2); // give up on every hole left
                _recording.Close();
                _stream?.Flush(flushToDisk: true);
                CountBytes();
                _finished = true;
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void CountBytes()
    {
        if (_recording.Writer is { } writer)
            Interlocked.Exchange(ref _bytes, writer.BytesWritten);
    }

    private void Fail(Exception e)
    {
        _error = e is IOException io && LiveRecording.IsDiskFull(io) ? $"disk full: {e.Message}" : e.Message;
        for (int track = 0; track < _taps.Length; track++)
        {
            if (_taps[track] is { } tap)
                tap.Producer.RemoveRecordingTap(tap);
            _taps[track] = null;
        }
        try
        {
            _recording.Writer?.Dispose();
        }
        catch (Exception)
        {
            // The disk that failed the write may fail the close too; the file keeps its complete clusters.
        }
        CloseStream();
    }

    private void CloseStream()
    {
        try
        {
            _stream?.Dispose();
        }
        catch (Exception)
        {
            // Buffered bytes the disk refuses: what was flushed before stays.
        }
        _stream = null;
    }

    public void Dispose()
    {
        try
        {
            _recording.Dispose();
        }
        catch (Exception)
        {
            // See Fail.
        }
        CloseStream();
    }
}
