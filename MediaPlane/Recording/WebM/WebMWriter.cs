using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.WebM;

/// <summary>
/// Writes a WebM file (Matroska, RFC 9559, with the WebM subset and codec mappings) as frames arrive:
/// EBML header, a Segment of unknown size (§6.2 of RFC 8794) holding Info and Tracks, then Clusters of
/// SimpleBlocks (RFC 9559 §10.2). A Cluster starts at each video keyframe (and at least every
/// <see cref="MaxClusterMilliseconds"/>); each ends with an unknown size that is patched to its real size
/// when the next one starts. So a file cut short by a crash is still a valid live-style stream up to its last
/// complete cluster. <see cref="Close"/> appends Cues (§5.1.5, one per keyframe cluster) for seeking, writes a
/// SeekHead into the space reserved for it, patches Duration and the Segment size.
/// Times: TimestampScale = 1 ms; a block's time is relative to its cluster as a signed 16-bit value.
/// Owned by one thread; per frame it writes a small header and the frame, allocating nothing.
/// </summary>
public sealed class WebMWriter : IRecordingWriter
{
    public const int MaxClusterMilliseconds = 5000;
    private const int SeekHeadReserve = 96; // three Seek entries with 8-byte positions fit in 68 bytes

    private readonly Stream _output;
    private readonly RecordingTrack[] _tracks;
    private readonly bool _hasVideo;
    private readonly GrowableBuffer _scratch = new(1024);
    private readonly List<(long TimeMs, long ClusterPosition)> _cues = [];
    private readonly long[] _lastTimeMs;
    private readonly long[] _lastDeltaMs;
    private long _segmentDataStart;
    private long _seekHeadPosition, _infoPosition, _tracksPosition, _durationPosition;
    private long _clusterStart = -1; // file offset of the open cluster's ID
    private long _clusterTimeMs;
    private bool _closed;

    public WebMWriter(Stream output, IReadOnlyList<RecordingTrack> tracks)
    {
        if (tracks.Count is 0 or > 126)
            throw new ArgumentException("1 to 126 tracks", nameof(tracks));
        _output = output;
        _tracks = [.. tracks];
        _hasVideo = _tracks.Any(t => t.IsVideo);
        _lastTimeMs = new long[_tracks.Length];
        _lastDeltaMs = new long[_tracks.Length];
        Array.Fill(_lastTimeMs, -1);
        WriteHeader();
    }

    public long BytesWritten => _output.Position;

    private void WriteHeader()
    {
        var b = _scratch;
        b.Clear();
        int ebml = EbmlWriter.StartMaster(b, MatroskaIds.Ebml); // RFC 8794 §11.2
        EbmlWriter.WriteUnsigned(b, MatroskaIds.EbmlVersion, 1);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.EbmlReadVersion, 1);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.EbmlMaxIdLength, 4);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.EbmlMaxSizeLength, 8);
        EbmlWriter.WriteString(b, MatroskaIds.DocType, "webm");
        EbmlWriter.WriteUnsigned(b, MatroskaIds.DocTypeVersion, 4);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.DocTypeReadVersion, 2);
        EbmlWriter.EndMaster(b, ebml);

        EbmlWriter.WriteId(b, MatroskaIds.Segment);
        b.WriteUInt64BigEndian(EbmlWriter.UnknownSize8); // patched at close
        _segmentDataStart = b.Length;

        _seekHeadPosition = b.Length;
        EbmlWriter.WriteVoid(b, SeekHeadReserve);

        _infoPosition = b.Length;
        int info = EbmlWriter.StartMaster(b, MatroskaIds.Info);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.TimestampScale, 1_000_000); // 1 ms
        _durationPosition = EbmlWriter.WriteFloat(b, MatroskaIds.Duration, 0);
        EbmlWriter.WriteString(b, MatroskaIds.MuxingApp, "MediaPlane.Recording");
        EbmlWriter.WriteString(b, MatroskaIds.WritingApp, "MediaPlane.Recording");
        EbmlWriter.EndMaster(b, info);

        _tracksPosition = b.Length;
        int tracks = EbmlWriter.StartMaster(b, MatroskaIds.Tracks);
        for (int i = 0; i < _tracks.Length; i++)
            WriteTrackEntry(b, i + 1, _tracks[i]);
        EbmlWriter.EndMaster(b, tracks);
        _output.Write(b.Written);
        _output.Flush();
    }

    private static void WriteTrackEntry(GrowableBuffer b, int number, RecordingTrack track)
    {
        int entry = EbmlWriter.StartMaster(b, MatroskaIds.TrackEntry);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.TrackNumber, (ulong)number);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.TrackUid, (ulong)number);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.TrackType, track.IsVideo ? 1UL : 2UL);
        EbmlWriter.WriteUnsigned(b, MatroskaIds.FlagLacing, 0);
        EbmlWriter.WriteString(b, MatroskaIds.CodecId, track.Codec switch
        {
            MediaCodec.Vp8 => "V_VP8",
            MediaCodec.Vp9 => "V_VP9",
            MediaCodec.Av1 => "V_AV1",
            MediaCodec.Opus => "A_OPUS",
            _ => throw new NotSupportedException($"WebM does not carry {track.Codec}"),
        });
        if (track.Codec == MediaCodec.Opus)
        {
            // Matroska codec mapping for Opus: CodecPrivate is the OpusHead (RFC 7845 §5.1); CodecDelay is the
            // pre-skip in ns (0: RTP does not carry the sender's); SeekPreRoll 80 ms (RFC 7845 §4.6).
            Span<byte> head = stackalloc byte[OpusHeaders.OpusHeadLength];
            OpusHeaders.WriteOpusHead(head, track.Channels, track.SampleRate);
            EbmlWriter.WriteBinary(b, MatroskaIds.CodecPrivate, head);
            EbmlWriter.WriteUnsigned(b, MatroskaIds.CodecDelay, 0);
            EbmlWriter.WriteUnsigned(b, MatroskaIds.SeekPreRoll, 80_000_000);
            int audio = EbmlWriter.StartMaster(b, MatroskaIds.Audio);
            EbmlWriter.WriteFloat(b, MatroskaIds.SamplingFrequency, track.SampleRate);
            EbmlWriter.WriteUnsigned(b, MatroskaIds.Channels, (ulong)track.Channels);
            EbmlWriter.EndMaster(b, audio);
        }
        else
        {
            // AV1 in Matroska: CodecPrivate is the av1C record (4 bytes + configOBUs); VP8/VP9 have none.
            if (track.CodecConfiguration is { Length: > 0 } configuration)
                EbmlWriter.WriteBinary(b, MatroskaIds.CodecPrivate, configuration);
            int video = EbmlWriter.StartMaster(b, MatroskaIds.Video);
            EbmlWriter.WriteUnsigned(b, MatroskaIds.PixelWidth, (ulong)Math.Max(track.Width, 1));
            EbmlWriter.WriteUnsigned(b, MatroskaIds.PixelHeight, (ulong)Math.Max(track.Height, 1));
            EbmlWriter.EndMaster(b, video);
        }
        EbmlWriter.EndMaster(b, entry);
    }

    public void WriteFrame(int trackIndex, long timeMicroseconds, ReadOnlySpan<byte> frame, bool keyframe)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if ((uint)trackIndex >= (uint)_tracks.Length)
            throw new ArgumentOutOfRangeException(nameof(trackIndex));
        long timeMs = timeMicroseconds / 1000;
        bool isVideo = _tracks[trackIndex].IsVideo;
        bool startCluster = _clusterStart < 0
            || (keyframe && isVideo)
            || (!_hasVideo && timeMs - _clusterTimeMs >= MaxClusterMilliseconds)
            || timeMs - _clusterTimeMs >= MaxClusterMilliseconds * 2
            || timeMs - _clusterTimeMs > short.MaxValue || timeMs - _clusterTimeMs < short.MinValue;
        if (startCluster)
            StartCluster(timeMs, cue: isVideo ? keyframe : !_hasVideo);

        // §10.2 SimpleBlock: track number (vint), 16-bit signed relative timestamp, flags (0x80 keyframe).
        Span<byte> header = stackalloc byte[16];
        int blockHeaderLength = 4;
        int idLength = EbmlWriter.WriteId(header, MatroskaIds.SimpleBlock);
        int sizeLength = EbmlWriter.WriteSize(header[idLength..], blockHeaderLength + frame.Length);
        int at = idLength + sizeLength;
        header[at] = (byte)(0x80 | (trackIndex + 1));
        short relative = (short)(timeMs - _clusterTimeMs);
        header[at + 1] = (byte)(relative >> 8);
        header[at + 2] = (byte)relative;
        header[at + 3] = keyframe ? (byte)0x80 : (byte)0;
        _output.Write(header[..(at + blockHeaderLength)]);
        _output.Write(frame);

        if (_lastTimeMs[trackIndex] >= 0)
            _lastDeltaMs[trackIndex] = Math.Max(0, timeMs - _lastTimeMs[trackIndex]);
        _lastTimeMs[trackIndex] = timeMs;
    }

    private void StartCluster(long timeMs, bool cue)
    {
        FinishCluster();
        _clusterStart = _output.Position;
        _clusterTimeMs = timeMs;
        if (cue)
            _cues.Add((timeMs, _clusterStart - _segmentDataStart));
        var b = _scratch;
        b.Clear();
        EbmlWriter.WriteId(b, MatroskaIds.Cluster);
        b.WriteUInt64BigEndian(EbmlWriter.UnknownSize8); // patched when the cluster ends
        EbmlWriter.WriteUnsigned(b, MatroskaIds.ClusterTimestamp, (ulong)Math.Max(0, timeMs));
        _output.Write(b.Written);
    }

    /// <summary>Patches the open cluster's size (when the output can seek) and flushes it to the file.</summary>
    private void FinishCluster()
    {
        if (_clusterStart < 0)
            return;
        long end = _output.Position;
        if (_output.CanSeek)
        {
            Span<byte> size = stackalloc byte[8];
            EbmlWriter.WriteSize8(size, end - _clusterStart - 12); // 4-byte ID + 8-byte size precede the data
            _output.Position = _clusterStart + 4;
            _output.Write(size);
            _output.Position = end;
        }
        _output.Flush();
    }

    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        FinishCluster();
        _clusterStart = -1;
        long cuesPosition = _output.Position;
        var b = _scratch;
        b.Clear();
        if (_cues.Count > 0)
        {
            int cues = EbmlWriter.StartMaster(b, MatroskaIds.Cues);
            int videoTrack = Array.FindIndex(_tracks, t => t.IsVideo) + 1;
            foreach (var (timeMs, clusterPosition) in _cues)
            {
                int point = EbmlWriter.StartMaster(b, MatroskaIds.CuePoint);
                EbmlWriter.WriteUnsigned(b, MatroskaIds.CueTime, (ulong)Math.Max(0, timeMs));
                int positions = EbmlWriter.StartMaster(b, MatroskaIds.CueTrackPositions);
                EbmlWriter.WriteUnsigned(b, MatroskaIds.CueTrack, (ulong)(videoTrack > 0 ? videoTrack : 1));
                EbmlWriter.WriteUnsigned(b, MatroskaIds.CueClusterPosition, (ulong)clusterPosition);
                EbmlWriter.EndMaster(b, positions);
                EbmlWriter.EndMaster(b, point);
            }
            EbmlWriter.EndMaster(b, cues);
            _output.Write(b.Written);
        }
        long end = _output.Position;
        if (_output.CanSeek)
        {
            b.Clear();
            int seekHead = EbmlWriter.StartMaster(b, MatroskaIds.SeekHead); // §5.1.1
            WriteSeek(b, MatroskaIds.Info, _infoPosition - _segmentDataStart);
            WriteSeek(b, MatroskaIds.Tracks, _tracksPosition - _segmentDataStart);
            if (_cues.Count > 0)
                WriteSeek(b, MatroskaIds.Cues, cuesPosition - _segmentDataStart);
            EbmlWriter.EndMaster(b, seekHead);
            EbmlWriter.WriteVoid(b, SeekHeadReserve - b.Length);
            _output.Position = _seekHeadPosition;
            _output.Write(b.Written);

            Span<byte> bytes = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteDoubleBigEndian(bytes, DurationMs());
            _output.Position = _durationPosition;
            _output.Write(bytes);
            EbmlWriter.WriteSize8(bytes, end - _segmentDataStart);
            _output.Position = _segmentDataStart - 8;
            _output.Write(bytes);
            _output.Position = end;
        }
        _output.Flush();
    }

    private double DurationMs()
    {
        long duration = 0;
        for (int i = 0; i < _tracks.Length; i++)
        {
            if (_lastTimeMs[i] >= 0)
                duration = Math.Max(duration, _lastTimeMs[i] + _lastDeltaMs[i]);
        }
        return duration;
    }

    private static void WriteSeek(GrowableBuffer b, uint id, long position)
    {
        int seek = EbmlWriter.StartMaster(b, MatroskaIds.Seek);
        Span<byte> idBytes = stackalloc byte[4];
        int length = EbmlWriter.WriteId(idBytes, id);
        EbmlWriter.WriteBinary(b, MatroskaIds.SeekId, idBytes[..length]);
        EbmlWriter.WriteUnsigned8(b, MatroskaIds.SeekPosition, (ulong)position);
        EbmlWriter.EndMaster(b, seek);
    }

    public void Dispose()
    {
        Close();
        _scratch.Dispose();
    }
}
