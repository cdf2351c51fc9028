using MediaPlane.Contracts;
using BenchmarkDotNet.Attributes;
using MediaPlane.Recording.Live;
using MediaPlane.Routing;
using MediaPlane.WebRtc;

namespace Benchmarks.Recording;

/// <summary>
/// What recording costs the receive loop per packet: the producer hands the packet to its recording tap, which
/// stamps it and copies it into the ring (1,200 bytes), and the writer side takes it out again. The writer's own
/// work (reorder, depacketize, mux) is <see cref="RecordDepacketizeAndMuxBenchmark"/>.
/// </summary>
[MemoryDiagnoser]
public class RecordingTapBenchmark
{
    private readonly byte[] _packet = new byte[1200];
    private RecordingTap _tap = null!;

    [GlobalSetup]
    public void Setup() =>
        _tap = new RecordingTap(new Producer(new PublishedTrack("cam", MediaKind.Video, 1, null, 96, null, 90000, "VP8"), null), 0, 1024);

    [Benchmark]
    public bool ForwardAndTake()
    {
        _tap.Forward(_packet);
        bool taken = _tap.Ring.TryPeek(out _, out _);
        _tap.Ring.Release();
        return taken;
    }
}
