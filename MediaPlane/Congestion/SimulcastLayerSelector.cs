namespace MediaPlane.Congestion;

/// <summary>
/// Picks the simulcast layer one subscriber receives from its bandwidth estimate, with hysteresis so layers
/// do not flap. Audio is reserved first (never dropped): video gets the estimate minus the audio bitrate.
/// Down at once when the current layer no longer fits; up only after the next layer has fitted with a
/// margin for <see cref="SimulcastLayerSelectorOptions.UpHoldMicros"/> without a break (the router should
/// probe toward <see cref="ProbeTargetBitsPerSecond"/> meanwhile, so the estimate can show the room).
/// Video pauses (-1) when even the lowest layer would take twice what is left; it resumes like an up-switch.
/// <para>Owner: the subscriber's loop thread; no allocation. Layers: index 0 is the lowest, up to
/// <see cref="MaxLayers"/>; a bitrate of 0 marks a layer the publisher is not sending now.</para>
/// </summary>
public sealed class SimulcastLayerSelector
{
    public const int MaxLayers = 3;
    public const int Paused = -1;

    private readonly SimulcastLayerSelectorOptions _options;
    private long _upSinceMicros = long.MinValue;
    private int _upCandidate = Paused;
    private bool _started;

    public SimulcastLayerSelector(SimulcastLayerSelectorOptions? options = null) =>
        _options = options ?? new SimulcastLayerSelectorOptions();

    /// <summary>The layer last chosen, or <see cref="Paused"/>.</summary>
    public int CurrentLayer { get; private set; } = Paused;

    /// <summary>The higher layer waiting out its hold time, or <see cref="Paused"/> when none.</summary>
    public int PendingUpLayer => _upSinceMicros == long.MinValue ? Paused : _upCandidate;

    /// <summary>What the total rate (audio included) must reach for the next layer up, 0 at the top.</summary>
    public long ProbeTargetBitsPerSecond { get; private set; }

    /// <summary>Chooses the layer for this estimate; call on every estimate change or layer bitrate update.</summary>
    public int Select(long estimateBitsPerSecond, long audioBitsPerSecond, ReadOnlySpan<long> layerBitsPerSecond, long nowMicros)
    {
        if (layerBitsPerSecond.Length > MaxLayers)
            layerBitsPerSecond = layerBitsPerSecond[..MaxLayers];
        long available = estimateBitsPerSecond - Math.Max(audioBitsPerSecond, 0);
        int lowest = LowestActive(layerBitsPerSecond);
        int fitting = HighestFitting(layerBitsPerSecond, available, 1.0);
        if (lowest == Paused)
        {
            ResetUp();
            return CurrentLayer = Paused;
        }
        // Below the lowest layer video yields until it would take less than twice what is left.
        int floor = available >= layerBitsPerSecond[lowest] * _options.PauseBelowFractionOfLowestLayer ? lowest : Paused;
        if (fitting == Paused)
            fitting = floor;

        if (!_started)
        {
            _started = true;
            CurrentLayer = fitting;
        }
        else if (CurrentLayer != Paused && (layerBitsPerSecond[CurrentLayer] <= 0 || layerBitsPerSecond[CurrentLayer] > available))
        {
            CurrentLayer = fitting; // down at once (or the layer stopped)
            ResetUp();
        }
        else
        {
            int withMargin = HighestFitting(layerBitsPerSecond, available, 1.0 + _options.UpMarginFraction);
            if (withMargin > CurrentLayer)
            {
                if (_upSinceMicros == long.MinValue)
                    _upSinceMicros = nowMicros;
                _upCandidate = withMargin;
                if (nowMicros - _upSinceMicros >= _options.UpHoldMicros)
                {
                    CurrentLayer = withMargin;
                    ResetUp();
                }
            }
            else
            {
                ResetUp();
            }
        }
        int next = NextActiveAbove(layerBitsPerSecond, CurrentLayer);
        ProbeTargetBitsPerSecond = next == Paused ? 0
            : (long)(layerBitsPerSecond[next] * (1.0 + _options.UpMarginFraction)) + Math.Max(audioBitsPerSecond, 0);
        return CurrentLayer;
    }

    private void ResetUp()
    {
        _upSinceMicros = long.MinValue;
        _upCandidate = Paused;
    }

    private static int HighestFitting(ReadOnlySpan<long> layers, long available, double factor)
    {
        for (int i = layers.Length - 1; i >= 0; i--)
            if (layers[i] > 0 && layers[i] * factor <= available)
                return i;
        return Paused;
    }

    private static int LowestActive(ReadOnlySpan<long> layers)
    {
        for (int i = 0; i < layers.Length; i++)
            if (layers[i] > 0)
                return i;
        return Paused;
    }

    private static int NextActiveAbove(ReadOnlySpan<long> layers, int layer)
    {
        for (int i = layer + 1; i < layers.Length; i++)
            if (layers[i] > 0)
                return i;
        return Paused;
    }
}

/// <summary>Hysteresis of <see cref="SimulcastLayerSelector"/> (documented in README.md, "Congestion control").</summary>
public sealed record SimulcastLayerSelectorOptions
{
    /// <summary>Up only when the estimate left for video exceeds the next layer's bitrate by 15 %.</summary>
    public double UpMarginFraction { get; init; } = 0.15;

    /// <summary>…continuously for 3 s (a GCC estimate swings ±15 % around a bottleneck in about 3 s).</summary>
    public long UpHoldMicros { get; init; } = 3_000_000;

    /// <summary>Video pauses when what is left after audio is below half the lowest layer's bitrate.</summary>
    public double PauseBelowFractionOfLowestLayer { get; init; } = 0.5;
}
