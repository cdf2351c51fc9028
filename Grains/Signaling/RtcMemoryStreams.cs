using Grains.Interfaces.Signaling;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Grains.Signaling;

/// <summary>
/// The memory-stream provider of the embedded and PostgreSQL profiles (and of test clusters), configured the
/// same way everywhere: <see cref="RtcStreams.MemoryQueueCount"/> queues, each pulled every
/// <see cref="PullPeriod"/>.
/// </summary>
public static class RtcMemoryStreams
{
    /// <summary>
    /// How long a pulling agent waits after finding its queue empty. Orleans' default is 100 ms; each pull is a
    /// grain call and a thread-pool wake-up even when nothing is queued, which on a small VM was a measurable part
    /// of an idle silo's CPU (bench/NOTES.md). An agent that finds events keeps reading until the queue is empty,
    /// so this bounds only the wait for the first event after a quiet spell: room notifications and media-state
    /// events arrive up to 250 ms after they are published instead of up to 100 ms.
    /// </summary>
    public static readonly TimeSpan PullPeriod = TimeSpan.FromMilliseconds(250);

    public static ISiloBuilder AddRtcMemoryStreams(this ISiloBuilder silo, string name) =>
        silo.AddMemoryStreams(name, b =>
        {
            b.ConfigurePartitioning(RtcStreams.MemoryQueueCount);
            b.ConfigurePullingAgent(ob => ob.Configure(o => o.GetQueueMsgsTimerPeriod = PullPeriod));
        });
}
