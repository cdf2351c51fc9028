using MediaPlane.Transport;

namespace MediaPlane.Routing.Egress;

/// <summary>
/// Sends one probe cluster to a subscriber on the loop that owns the consumer's producer (its RTX sequence numbers
/// belong to that loop): <see cref="LoopWork.Argument"/> padding-only RTX packets back to back, each numbered with the
/// cluster id (<see cref="LoopWork.Operation"/>) in the subscriber's history, so the estimator measures at what rate
/// they arrived. Posted by <see cref="SubscriberAdaptation"/>.
/// </summary>
internal sealed class PaddingProbe : ILoopWorkHandler
{
    public static readonly PaddingProbe Instance = new();

    public void Run(in LoopWork work, UdpReceiveSocket loop)
    {
        var consumer = (Consumer)work.Subject;
        if (consumer.Producer.Owner is { } owner && owner != loop)
        {
            owner.Post(work); // the producer moved loops after this was posted: follow it
            return;
        }
        int packets = (int)work.Argument;
        if (!consumer.Subscriber.StartProbeCluster(work.Operation, packets))
            return;
        for (int i = 0; i < packets; i++)
            consumer.SendPadding(work.Operation);
    }
}
