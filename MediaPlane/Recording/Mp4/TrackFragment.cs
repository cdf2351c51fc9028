using MediaPlane.Recording.Buffers;

namespace MediaPlane.Recording.Mp4;

/// <summary>One track's samples held for the next movie fragment: their bytes and a small reused table.</summary>
internal sealed class TrackFragment(int timescale) : IDisposable
{
    private readonly GrowableBuffer _data = new(64 * 1024);
    private long[] _times = new long[64];
    private int[] _sizes = new int[64];
    private bool[] _sync = new bool[64];
    private uint _lastDuration;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Data => _data.Written;

    public bool StartsWithSync => Count > 0 && _sync[0];

    public long ToTimescale(long micros) => micros * timescale / 1_000_000;

    public long DecodeTime(int index) => _times[index];

    public int Size(int index) => _sizes[index];

    public bool IsSync(int index) => _sync[index];

    public void Add(long micros, ReadOnlySpan<byte> sample, bool sync)
    {
        if (Count == _times.Length)
        {
            Array.Resize(ref _times, Count * 2); // grows to a fragment's working size once
            Array.Resize(ref _sizes, Count * 2);
            Array.Resize(ref _sync, Count * 2);
        }
        _times[Count] = ToTimescale(micros);
        _sizes[Count] = sample.Length;
        _sync[Count] = sync;
        Count++;
        _data.Write(sample);
    }

    /// <summary>Up to the next sample; the last one up to <paramref name="endTime"/> or as long as the one before.</summary>
    public uint Duration(int index, long endTime)
    {
        long next = index + 1 < Count ? _times[index + 1] : endTime;
        uint duration = next > _times[index] ? (uint)(next - _times[index]) : _lastDuration;
        if (duration == 0)
            duration = (uint)(timescale / 50); // a lone first sample: 20 ms
        _lastDuration = duration;
        return duration;
    }

    public void Clear()
    {
        Count = 0;
        _data.Clear();
    }

    public void Dispose() => _data.Dispose();
}
