using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Mp4;

/// <summary>
/// Writes a fragmented MP4 (ISO/IEC 14496-12 §8.8) as frames arrive: ftyp and moov first, then one movie
/// fragment (moof + mdat) per video keyframe group, or every <see cref="MaxFragmentMicros"/> without video or
/// with long keyframe intervals. Each fragment is written whole and flushed, so a file cut short by a crash
/// plays up to its last complete fragment. <see cref="Close"/> appends an mfra (§8.8.9-8.8.11) listing the
/// fragments that start with a sync sample, so players can seek.
/// Per track a fragment holds one traf: tfhd (default-base-is-moof), tfdt (the first sample's decode time),
/// trun (per sample: duration, size, flags). Times are in the track's RTP clock rate. Durations come from the
/// next sample; the last sample of a fragment takes the previous one's duration (tfdt keeps the next fragment
/// exact). Owned by one thread; sample data and tables are reused buffers.
/// </summary>
public sealed class FragmentedMp4Writer : IRecordingWriter
{
    public const long MaxFragmentMicros = 2_000_000;

    private const uint SyncSampleFlags = 0x02000000;    // §8.8.3.1: sample_depends_on = 2 (no other sample)
    private const uint NonSyncSampleFlags = 0x01010000; // sample_depends_on = 1, sample_is_non_sync_sample = 1

    private readonly Stream _output;
    private readonly RecordingTrack[] _tracks;
    private readonly TrackFragment[] _fragments;
    private readonly int _videoTrack;
    private readonly GrowableBuffer _moof = new(4096);
    private readonly List<(int Track, long Time, long MoofOffset, int TrafNumber)> _randomAccess = [];
    private uint _sequenceNumber;
    private long _fragmentStartMicros = -1;
    private bool _closed;

    public FragmentedMp4Writer(Stream output, IReadOnlyList<RecordingTrack> tracks)
    {
        if (tracks.Count == 0)
            throw new ArgumentException("at least one track", nameof(tracks));
        _output = output;
        _tracks = [.. tracks];
        _fragments = [.. _tracks.Select(t => new TrackFragment(t.ClockRate))];
        _videoTrack = Array.FindIndex(_tracks, t => t.IsVideo);
        var header = new GrowableBuffer(2048);
        Mp4Header.Write(header, _tracks);
        _output.Write(header.Written);
        _output.Flush();
        header.Dispose();
    }

    public long BytesWritten => _output.Position;

    public void WriteFrame(int trackIndex, long timeMicroseconds, ReadOnlySpan<byte> frame, bool keyframe)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if ((uint)trackIndex >= (uint)_tracks.Length)
            throw new ArgumentOutOfRangeException(nameof(trackIndex));
        bool anyHeld = _fragmentStartMicros >= 0;
        bool newGroup = trackIndex == _videoTrack && keyframe;
        if (anyHeld && (newGroup || timeMicroseconds - _fragmentStartMicros >= MaxFragmentMicros))
            Flush(trackIndex == _videoTrack ? timeMicroseconds : -1);
        if (_fragmentStartMicros < 0)
            _fragmentStartMicros = timeMicroseconds;
        _fragments[trackIndex].Add(timeMicroseconds, frame, keyframe || !_tracks[trackIndex].IsVideo);
    }

    /// <summary>Writes the held samples as one moof + mdat. <paramref name="nextVideoMicros"/> closes the video track's last duration.</summary>
    private void Flush(long nextVideoMicros)
    {
        var b = _moof;
        b.Clear();
        long moofOffset = _output.Position;
        _sequenceNumber++;
        int moof = BoxWriter.Start(b, "moof"u8);
        int mfhd = BoxWriter.StartFull(b, "mfhd"u8, 0, 0); // §8.8.5
        b.WriteUInt32BigEndian(_sequenceNumber);
        BoxWriter.End(b, mfhd);
        Span<int> dataOffsetFields = stackalloc int[_tracks.Length];
        int trafNumber = 0;
        for (int track = 0; track < _tracks.Length; track++)
        {
            var fragment = _fragments[track];
            dataOffsetFields[track] = -1;
            if (fragment.Count == 0)
                continue;
            trafNumber++;
            if (fragment.StartsWithSync && (track == _videoTrack || _videoTrack < 0))
                _randomAccess.Add((track, fragment.DecodeTime(0), moofOffset, trafNumber));
            int traf = BoxWriter.Start(b, "traf"u8);
            int tfhd = BoxWriter.StartFull(b, "tfhd"u8, 0, 0x020000); // §8.8.7: default-base-is-moof
            b.WriteUInt32BigEndian((uint)(track + 1));
            BoxWriter.End(b, tfhd);
            int tfdt = BoxWriter.StartFull(b, "tfdt"u8, 1, 0); // §8.8.12
            b.WriteUInt64BigEndian((ulong)Math.Max(0, fragment.DecodeTime(0)));
            BoxWriter.End(b, tfdt);
            // §8.8.8 trun: data-offset, sample-duration, sample-size, sample-flags present.
            int trun = BoxWriter.StartFull(b, "trun"u8, 0, 0x000001 | 0x000100 | 0x000200 | 0x000400);
            b.WriteUInt32BigEndian((uint)fragment.Count);
            dataOffsetFields[track] = b.Length;
            b.WriteUInt32BigEndian(0); // data_offset, patched below
            long endTime = track == _videoTrack && nextVideoMicros >= 0 ? fragment.ToTimescale(nextVideoMicros) : -1;
            for (int i = 0; i < fragment.Count; i++)
            {
                b.WriteUInt32BigEndian(fragment.Duration(i, endTime));
                b.WriteUInt32BigEndian((uint)fragment.Size(i));
                b.WriteUInt32BigEndian(fragment.IsSync(i) ? SyncSampleFlags : NonSyncSampleFlags);
            }
            BoxWriter.End(b, trun);
            BoxWriter.End(b, traf);
        }
        BoxWriter.End(b, moof);
        // data_offset counts from the moof's first byte (default-base-is-moof) to the track's data in mdat.
        int dataStart = b.Length + 8;
        for (int track = 0; track < _tracks.Length; track++)
        {
            if (dataOffsetFields[track] < 0)
                continue;
            b.PatchUInt32BigEndian(dataOffsetFields[track], (uint)dataStart);
            dataStart += _fragments[track].Data.Length;
        }
        int mdatSize = 8;
        foreach (var fragment in _fragments)
            mdatSize += fragment.Data.Length;
        b.WriteUInt32BigEndian((uint)mdatSize); // §8.1.1 mdat
        b.Write("mdat"u8);
        _output.Write(b.Written);
        foreach (var fragment in _fragments)
        {
            _output.Write(fragment.Data);
            fragment.Clear();
        }
        _output.Flush();
        _fragmentStartMicros = -1;
    }

    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        if (_fragmentStartMicros >= 0)
            Flush(-1);
        WriteRandomAccess();
        _output.Flush();
    }

    /// <summary>§8.8.9 mfra: one tfra per track with entries (§8.8.10), then mfro (§8.8.11) giving mfra's size.</summary>
    private void WriteRandomAccess()
    {
        var b = _moof;
        b.Clear();
        int mfra = BoxWriter.Start(b, "mfra"u8);
        for (int track = 0; track < _tracks.Length; track++)
        {
            int tfra = BoxWriter.StartFull(b, "tfra"u8, 1, 0);
            b.WriteUInt32BigEndian((uint)(track + 1));
            b.WriteUInt32BigEndian(0); // 1-byte traf_number, trun_number and sample_number
            int countOffset = b.Length;
            b.WriteUInt32BigEndian(0);
            uint count = 0;
            foreach (var entry in _randomAccess)
            {
                if (entry.Track != track)
                    continue;
                b.WriteUInt64BigEndian((ulong)Math.Max(0, entry.Time));
                b.WriteUInt64BigEndian((ulong)entry.MoofOffset);
                b.WriteByte((byte)entry.TrafNumber);
                b.WriteByte(1); // trun_number
                b.WriteByte(1); // sample_number
                count++;
            }
            b.PatchUInt32BigEndian(countOffset, count);
            BoxWriter.End(b, tfra);
        }
        int mfro = BoxWriter.StartFull(b, "mfro"u8, 0, 0);
        b.WriteUInt32BigEndian(0);
        BoxWriter.End(b, mfro);
        BoxWriter.End(b, mfra);
        b.PatchUInt32BigEndian(b.Length - 4, (uint)b.Length);
        _output.Write(b.Written);
    }

    public void Dispose()
    {
        Close();
        _moof.Dispose();
        foreach (var fragment in _fragments)
            fragment.Dispose();
    }
}
