namespace MediaPlane.Congestion;

/// <summary>
/// What the per-subscriber layer choice needs of a consumer that can switch simulcast layers (the simulcast
/// forwarding implements it): the layers' bitrates now, and a request for one, switched at its next keyframe.
/// </summary>
public interface ISimulcastLayers
{
    /// <summary>Writes each layer's bitrate, lowest first (0: not sent now); returns how many layers were written.</summary>
    int CopyLayerBitrates(Span<long> bitsPerSecond);

    /// <summary>Asks for <paramref name="layer"/> (0 = lowest). Any thread; the switch happens at the layer's next keyframe.</summary>
    void RequestLayer(int layer);
}
