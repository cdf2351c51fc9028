using MediaPlane.Congestion;
using MediaPlane.Transport;
using MediaPlane.Contracts;

namespace MediaPlane.Routing.Egress;

/// <summary>
/// What one subscriber's estimate changes, after each of its transport-cc feedbacks: the layer of each simulcast
/// track (<see cref="SubscriberLayerControl"/>), and a padding probe (<see cref="PaddingProbe"/>) at most once per
/// <see cref="ProbeIntervalMicros"/> while a track waits to move up and the estimate is short of the next layer: GCC
/// lets its estimate grow only to 1.5x what is acknowledged, so without sending more it would never show the room.
/// <para>Threads: called on the subscriber's receive loop; a second caller (the client's packets moving to another
/// loop) skips that round instead of waiting. Tracks are taken when the first feedback arrives (a session's
/// consumers are fixed once it is open).</para>
/// </summary>
internal sealed class SubscriberAdaptation
{
    public const long ProbeIntervalMicros = 1_000_000;
    public const int ProbePackets = 15;

    private SubscriberLayerControl? _control;
    private Consumer[] _videoConsumers = [];
    private long _lastProbeMicros = long.MinValue / 2; // far past, without overflow in the subtraction
    private int _nextProbeCluster;
    private int _running;

    /// <summary>Probe clusters started (tests, diagnostics).</summary>
    public int ProbesStarted => Volatile.Read(ref _nextProbeCluster);

    public void OnEstimate(IRoutedSession subscriber, long estimateBitsPerSecond, long nowMicros)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
            return;
        try
        {
            var control = _control ??= Build(subscriber);
            long probeTarget = control.Update(estimateBitsPerSecond, nowMicros);
            if (probeTarget <= estimateBitsPerSecond || nowMicros - _lastProbeMicros < ProbeIntervalMicros)
                return;
            foreach (var consumer in _videoConsumers)
            {
                if (consumer.CanSendPadding && consumer.Producer.Owner is { } owner)
                {
                    _lastProbeMicros = nowMicros;
                    int cluster = Interlocked.Increment(ref _nextProbeCluster);
                    owner.Post(new LoopWork(PaddingProbe.Instance, consumer, cluster, ProbePackets));
                    return;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private SubscriberLayerControl Build(IRoutedSession subscriber)
    {
        var consumers = subscriber.ConsumersBySsrc.Values.ToList();
        var layered = consumers.Where(c => c.Layers is not null).ToList();
        _videoConsumers = [.. layered];
        return new SubscriberLayerControl(layered.Select(c => c.Layers!).ToList(),
            consumers.Count(c => c.Producer.Track.Kind == MediaKind.Audio));
    }
}
