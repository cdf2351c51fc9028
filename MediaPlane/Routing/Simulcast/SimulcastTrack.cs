using MediaPlane.Contracts;

namespace MediaPlane.Routing;

/// <summary>
/// One published simulcast track (RFC 8853) on this node: a <see cref="Producer"/> per layer, index 0 the
/// lowest (the offer's order of RIDs), each with its own SSRC, buffer and statistics, learned from the RID
/// header extension (see <see cref="SimulcastSsrcLearner"/>). A consumer of the track is a consumer of every
/// layer and forwards one (<see cref="SimulcastLayerSwitcher"/>). The layers share one owner loop, the first
/// layer's: a consumer's state is touched by packets of all of them, so they must arrive on one loop (they
/// come from one publisher address, hence one loop; when it moves, they move together).
/// </summary>
internal sealed class SimulcastTrack
{
    /// <summary>A layer not heard from for this long is not being sent (the publisher dropped it, RFC 8853 §5.3 pause).</summary>
    public const long InactiveAfterMillis = 1000;

    private readonly LayerActivity[] _activity;
    private long _firstPacketTicks;

    public SimulcastTrack(PublishedTrack track, IRoutedSession? publisher, Action<Producer>? sendKeyframeRequest)
    {
        Track = track;
        int count = Math.Min(track.SimulcastRids.Count, SimulcastLimits.MaxLayers);
        Layers = new Producer[count];
        _activity = new LayerActivity[count];
        for (int i = 0; i < count; i++)
        {
            Layers[i] = new Producer(track, publisher, ownerShare: i == 0 ? null : Layers[0])
            {
                SendKeyframeRequest = sendKeyframeRequest,
                Simulcast = this,
                LayerIndex = i,
            };
        }
        Codec = KeyframeDetector.CodecOf(track.Codec);
    }

    public PublishedTrack Track { get; }

    /// <summary>Index 0 the lowest layer; <see cref="Layers"/>[0] is the track's producer in the router and owns the loop.</summary>
    public Producer[] Layers { get; }

    public KeyframeCodec Codec { get; }

    public string Rid(int layer) => Track.SimulcastRids[layer];

    public int LayerOf(string? rid)
    {
        for (int i = 0; i < Layers.Length; i++)
        {
            if (string.Equals(Track.SimulcastRids[i], rid, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    /// <summary>On the owner loop, for every packet of <paramref name="layer"/>.</summary>
    internal void OnLayerPacket(int layer, int octets, long nowTicks)
    {
        if (_firstPacketTicks == 0)
            _firstPacketTicks = nowTicks;
        _activity[layer].OnPacket(octets, nowTicks);
    }

    /// <summary>The layer's received bitrate; 0 when it is not being sent now.</summary>
    public long BitsPerSecond(int layer, long nowTicks) => IsActive(layer, nowTicks) ? _activity[layer].BitsPerSecond : 0;

    /// <summary>
    /// Heard from lately, or not yet but the track started under <see cref="InactiveAfterMillis"/> ago (the
    /// layers' first packets do not arrive together: the top one is given that long before it counts as off).
    /// </summary>
    public bool IsActive(int layer, long nowTicks)
    {
        ref var activity = ref _activity[layer];
        return activity.Seen
            ? nowTicks - activity.LastPacketTicks <= InactiveAfterMillis
            : _firstPacketTicks == 0 || nowTicks - _firstPacketTicks <= InactiveAfterMillis;
    }

    /// <summary>
    /// The layer to forward for a wanted one: itself while the publisher sends it, else the nearest sent one
    /// below, else above (a browser drops its top layers when its uplink is short).
    /// </summary>
    public int Available(int wanted, long nowTicks)
    {
        if (IsActive(wanted, nowTicks))
            return wanted;
        for (int i = wanted - 1; i >= 0; i--)
        {
            if (IsActive(i, nowTicks))
                return i;
        }
        for (int i = wanted + 1; i < Layers.Length; i++)
        {
            if (IsActive(i, nowTicks))
                return i;
        }
        return wanted;
    }
}
