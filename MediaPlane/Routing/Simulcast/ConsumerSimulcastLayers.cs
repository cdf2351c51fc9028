using MediaPlane.Congestion;

namespace MediaPlane.Routing;

/// <summary>
/// A simulcast consumer's layers as the per-subscriber layer choice sees them (<see cref="ISimulcastLayers"/>, issue 21
/// item 3): each layer's received bitrate from the track, and a request that the consumer's switcher carries out at the
/// layer's next keyframe, both capped by the layer the subscriber itself asked for (<see cref="Consumer.LayerCeiling"/>). Called on the subscriber's receive loop: the bitrates are whole-long reads of counters the
/// producers' loop writes (a rate a packet old is good enough), and the switcher's request is safe from any thread.
/// </summary>
internal sealed class ConsumerSimulcastLayers(Consumer consumer) : ISimulcastLayers
{
    public int CopyLayerBitrates(Span<long> bitsPerSecond)
    {
        long now = Environment.TickCount64;
        // Layers above the subscriber's own ceiling are not offered to the estimate.
        int count = Math.Min(consumer.LayerCeiling + 1, bitsPerSecond.Length);
        for (int i = 0; i < count; i++)
            bitsPerSecond[i] = consumer.LayerBitsPerSecond(i, now);
        return count;
    }

    public void RequestLayer(int layer) => consumer.RequestLayer(Math.Min(layer, consumer.LayerCeiling));
}
