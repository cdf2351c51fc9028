namespace MediaPlane.Congestion;

/// <summary>
/// Turns one subscriber's estimate into a layer per simulcast track: audio is reserved first (never dropped), the rest
/// is shared evenly by the video tracks, and each track's <see cref="SimulcastLayerSelector"/> (hysteresis: down at once,
/// up after 3 s of room with a 15 % margin) chooses; a changed choice is requested once. Where the selector would pause
/// video, the lowest layer is kept instead: a subscriber keeps a picture at the cost of some delay.
/// <para>It also says when to probe: while a track waits to move up and the estimate is under what that layer needs,
/// <see cref="Update"/> returns the rate to probe for. Owner: one thread at a time (the subscriber's feedback handling);
/// no allocation after construction.</para>
/// </summary>
public sealed class SubscriberLayerControl
{
    /// <summary>What one audio track is assumed to take (Opus in WebRTC sends 32-64 kbit/s).</summary>
    public const long AudioReserveBitsPerSecond = 64_000;

    private readonly ISimulcastLayers[] _tracks;
    private readonly SimulcastLayerSelector[] _selectors;
    private readonly int[] _requested;
    private readonly int _audioTracks;
    private readonly long[] _layers = new long[SimulcastLayerSelector.MaxLayers];

    public SubscriberLayerControl(IReadOnlyList<ISimulcastLayers> videoTracks, int audioTracks, SimulcastLayerSelectorOptions? options = null)
    {
        _tracks = [.. videoTracks];
        _selectors = [.. videoTracks.Select(_ => new SimulcastLayerSelector(options))];
        _requested = [.. videoTracks.Select(_ => int.MinValue)];
        _audioTracks = audioTracks;
    }

    public int TrackCount => _tracks.Length;

    /// <summary>The layer last requested for track <paramref name="index"/>, or <see cref="SimulcastLayerSelector.Paused"/> before any.</summary>
    public int RequestedLayer(int index) => _requested[index] == int.MinValue ? SimulcastLayerSelector.Paused : _requested[index];

    /// <summary>
    /// Chooses every track's layer for <paramref name="estimateBitsPerSecond"/> and requests the changed ones. Returns
    /// the total rate (audio included) a probe should show before the next layer up can be taken, 0 when none waits.
    /// </summary>
    public long Update(long estimateBitsPerSecond, long nowMicros)
    {
        if (_tracks.Length == 0)
            return 0;
        long audio = _audioTracks * AudioReserveBitsPerSecond;
        long videoShare = (estimateBitsPerSecond - audio) / _tracks.Length;
        long probeTarget = 0;
        for (int i = 0; i < _tracks.Length; i++)
        {
            int count = Math.Min(_tracks[i].CopyLayerBitrates(_layers), _layers.Length);
            var selector = _selectors[i];
            int layer = selector.Select(videoShare, 0, _layers.AsSpan(0, count), nowMicros);
            if (layer == SimulcastLayerSelector.Paused)
                layer = LowestActive(_layers.AsSpan(0, count));
            if (layer >= 0 && layer != _requested[i])
            {
                _requested[i] = layer;
                _tracks[i].RequestLayer(layer);
            }
            if (selector.ProbeTargetBitsPerSecond > videoShare)
                probeTarget = Math.Max(probeTarget, selector.ProbeTargetBitsPerSecond * _tracks.Length + audio);
        }
        return probeTarget;
    }

    private static int LowestActive(ReadOnlySpan<long> layers)
    {
        for (int i = 0; i < layers.Length; i++)
            if (layers[i] > 0)
                return i;
        return SimulcastLayerSelector.Paused;
    }
}
