using MediaPlane.Contracts;
using MediaPlane.Routing;
using MediaPlane.WebRtc;

namespace MediaPlane.Recording.Live;

/// <summary>
/// One recording on this node: its files (one per participant) and the writer thread that fills them. The
/// receive loops only copy packets into the taps' rings; depacketizing, muxing and every file write happen
/// on this thread, which wakes every <see cref="PumpInterval"/>. A file whose disk fails (full, gone) stops
/// with its error (read in the status); the others go on. Control threads add files and streams and stop it.
/// </summary>
internal sealed class LiveRecording : IDisposable
{
    public static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(10);

    private readonly Lock _filesLock = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private RecordedFile[] _files = [];
    private volatile bool _stopped;

    public LiveRecording(string id, string directory, RecordingContainer container)
    {
        Id = id;
        Directory = directory;
        Container = container;
        System.IO.Directory.CreateDirectory(directory);
        _thread = new Thread(Run) { IsBackground = true, Name = $"recording {id}" };
        _thread.Start();
    }

    public string Id { get; }

    public string Directory { get; }

    public RecordingContainer Container { get; }

    public bool Stopped => _stopped;

    /// <summary>
    /// From a control thread: records <paramref name="producers"/> into the file <paramref name="name"/>,
    /// created on first use with a track per producer's codec (video first). Throws
    /// <see cref="MediaSessionException"/> for a codec this container cannot hold or a stream the file has no track for.
    /// </summary>
    public void Record(string name, IReadOnlyList<Producer> producers)
    {
        if (_stopped)
            throw new MediaSessionException($"Recording '{Id}' is stopped.");
        if (name.Length == 0 || name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new MediaSessionException($"'{name}' is not a usable file name.");
        var codecs = new List<MediaCodec>();
        foreach (var producer in producers)
        {
            var codec = CodecOf(producer.Track.Codec) ?? throw new MediaSessionException($"Codec '{producer.Track.Codec}' cannot be recorded.");
            if (!Fits(codec, Container))
                throw new MediaSessionException($"Codec '{producer.Track.Codec}' cannot be recorded in {Container}.");
            codecs.Add(codec);
        }
        lock (_filesLock)
        {
            var file = _files.FirstOrDefault(f => f.Name == name);
            if (file is null)
            {
                var ordered = codecs.Where(c => c.IsVideo()).Take(1).Concat(codecs.Where(c => !c.IsVideo()).Take(1)).ToList();
                if (ordered.Count == 0)
                    throw new MediaSessionException("Nothing to record.");
                file = new RecordedFile(name, System.IO.Path.Combine(Directory, name), Container, ordered);
                Volatile.Write(ref _files, [.. _files, file]);
            }
            foreach (var (producer, codec) in producers.Zip(codecs))
            {
                if (file.TrackFor(codec) < 0)
                    throw new MediaSessionException($"File '{name}' has no {codec} track.");
            }
            foreach (var producer in producers)
                file.Attach(producer);
        }
    }

    public LiveRecordingStatus Status() =>
        new(Id, Container, _stopped, Volatile.Read(ref _files).Select(f => f.Status()).ToList());

    /// <summary>Finishes every file (what is held is written, then the index) and ends the thread. Idempotent.</summary>
    public LiveRecordingStatus Stop(TimeSpan timeout)
    {
        _stop.Set();
        if (Thread.CurrentThread != _thread)
            _thread.Join(timeout);
        return Status();
    }

    private void Run()
    {
        while (!_stop.Wait(PumpInterval))
        {
            long now = WallClock.NowUnixMicros();
            foreach (var file in Volatile.Read(ref _files))
                file.Pump(now);
        }
        foreach (var file in Volatile.Read(ref _files))
        {
            file.Finish();
            file.Dispose();
        }
        _stopped = true;
    }

    /// <summary>The recording codec of a track's codec as the gateway describes it (<c>VP8</c>, <c>H264/42e01f</c>, <c>opus</c>).</summary>
    public static MediaCodec? CodecOf(string described)
    {
        string name = described.Split('/')[0];
        return name.ToUpperInvariant() switch
        {
            "VP8" => MediaCodec.Vp8,
            "VP9" => MediaCodec.Vp9,
            "AV1" => MediaCodec.Av1,
            "H264" => MediaCodec.H264,
            "OPUS" => MediaCodec.Opus,
            _ => null,
        };
    }

    /// <summary>WebM holds VP8, VP9, AV1 and Opus; our fragmented MP4 holds H.264, AV1 and Opus.</summary>
    public static bool Fits(MediaCodec codec, RecordingContainer container) => container switch
    {
        RecordingContainer.WebM => codec != MediaCodec.H264,
        _ => codec is MediaCodec.H264 or MediaCodec.Av1 or MediaCodec.Opus,
    };

    /// <summary>ENOSPC (28) or EDQUOT (122) on Linux; ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    public static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) is 28 or 122 or 39 or 112;

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
