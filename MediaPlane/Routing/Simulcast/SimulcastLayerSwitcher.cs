namespace MediaPlane.Routing;

/// <summary>What a consumer does with one packet of a simulcast track.</summary>
internal enum LayerDecision
{
    /// <summary>Not the layer forwarded (or a late packet from before the switch).</summary>
    Drop,
    /// <summary>A packet of the layer forwarded.</summary>
    Forward,
    /// <summary>The keyframe the consumer waited for: from it on, this layer is forwarded (renumber from here).</summary>
    Switch,
}

/// <summary>
/// Which layer of a simulcast track one consumer forwards, and when it changes: only at a keyframe of the
/// target layer (the subscriber's decoder has nothing earlier of it), asking the publisher for one with a
/// PLI once per change of target, again every <see cref="SimulcastLimits.KeyframeRetryMillis"/> without one,
/// at most <see cref="SimulcastLimits.MaxKeyframeRequestsPerSwitch"/> times. Renumbering across switches
/// (continuous sequence numbers and timestamps) is the consumer's <see cref="SequenceRewriter"/>.
/// <para>Owner: the track's loop (<see cref="OnPacket"/>, <see cref="TakeKeyframeRequest"/>);
/// <see cref="RequestLayer"/> may be called from any thread and takes effect with the next packet.</para>
/// </summary>
internal sealed class SimulcastLayerSwitcher
{
    public const int None = -1;

    private int _requested;
    private int _target = None;
    private int _current = None;
    private int _keyframeRequests;
    private long _lastKeyframeRequestTicks;
    private ushort _switchSequence;

    public SimulcastLayerSwitcher(int initialLayer) => _requested = initialLayer;

    /// <summary>The layer forwarded now, <see cref="None"/> before the first keyframe.</summary>
    public int CurrentLayer => Volatile.Read(ref _current);

    /// <summary>The layer asked for (by the subscriber, the API or the bandwidth estimate).</summary>
    public int RequestedLayer => Volatile.Read(ref _requested);

    /// <summary>The layer a keyframe is wanted from: the target while a switch waits, else the current one.</summary>
    public int KeyframeLayer
    {
        get
        {
            int target = Volatile.Read(ref _target), current = Volatile.Read(ref _current);
            return target != None && target != current ? target : current;
        }
    }

    /// <summary>Switch to <paramref name="layer"/> at its next keyframe (any thread).</summary>
    public void RequestLayer(int layer) => Volatile.Write(ref _requested, layer);

    /// <summary>True while a packet of <paramref name="layer"/> would need to be a keyframe to be forwarded.</summary>
    public bool WaitsForKeyframeOf(int layer) => layer == _target && _target != _current;

    /// <summary>
    /// One packet of <paramref name="layer"/>; <paramref name="target"/> is the layer to forward now (the
    /// requested one, or the nearest the publisher sends: <see cref="SimulcastTrack.Available"/>).
    /// </summary>
    public LayerDecision OnPacket(int layer, bool keyframeStart, int target, ushort sequence)
    {
        if (target != _target)
        {
            Volatile.Write(ref _target, target);
            _keyframeRequests = 0;
        }
        if (layer == _target && _target != _current)
        {
            if (!keyframeStart)
                return LayerDecision.Drop;
            Volatile.Write(ref _current, layer);
            _switchSequence = sequence;
            _keyframeRequests = 0;
            return LayerDecision.Switch;
        }
        return layer == _current ? Forward(sequence) : LayerDecision.Drop;
    }

    // A packet of the current layer sent before its switch keyframe (reordered) would reuse numbers already given out.
    private LayerDecision Forward(ushort sequence) =>
        SequenceUnwrapper.IsNewer(_switchSequence, sequence) ? LayerDecision.Drop : LayerDecision.Forward;

    /// <summary>After <see cref="OnPacket"/>: true with the layer to send a PLI for, when one is due.</summary>
    public bool TakeKeyframeRequest(long nowTicks, out int layer)
    {
        layer = _target;
        if (_target == None || _target == _current || _keyframeRequests >= SimulcastLimits.MaxKeyframeRequestsPerSwitch
            || (_keyframeRequests > 0 && nowTicks - _lastKeyframeRequestTicks < SimulcastLimits.KeyframeRetryMillis))
            return false;
        _keyframeRequests++;
        _lastKeyframeRequestTicks = nowTicks;
        return true;
    }
}
