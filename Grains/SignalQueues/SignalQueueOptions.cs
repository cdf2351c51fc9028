using Grains.Interfaces.Signaling;
using Grains.Interfaces.Signaling.Queues;
namespace Grains.SignalQueues;

/// <summary>The signal-queue stream provider's settings, used as documented here by silos and clients alike.</summary>
public sealed class SignalQueueOptions
{
    /// <summary>
    /// Queues per provider: a producer picks one by hashing the stream id, and only silos pull them, so a client
    /// with another count would enqueue where no silo looks. Signaling is a few events per join; two are plenty.
    /// </summary>
    public int QueueCount { get; set; } = RtcStreams.MemoryQueueCount;

    /// <summary>
    /// How long a pull waits in the queue grain for the first event when the queue is empty. Longer means fewer
    /// idle calls (each is a grain call and a few thread wake-ups); it must stay well under Orleans'
    /// response timeout (30 s by default).
    /// </summary>
    public TimeSpan LongPollWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How much longer than <see cref="LongPollWait"/> a pull may take before its reader gives up on it and polls
    /// again (the queue's silo may have died: Orleans fails such a call only at its response timeout).
    /// </summary>
    public TimeSpan PollGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Batches one pull takes at most when the agent's cache sets no limit.</summary>
    public int MaxBatchesPerPull { get; set; } = 256;
}
