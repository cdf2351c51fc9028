using Grains.Interfaces.Signaling;
using Grains.Interfaces.Signaling.Queues;
using Grains.SignalQueues;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Grains.Signaling;

/// <summary>
/// The in-memory stream provider of the embedded and PostgreSQL profiles (and of test clusters), configured the
/// same way everywhere: <see cref="SignalQueueOptions.QueueCount"/> signal queues, read by long polls
/// (<see cref="SignalQueueAdapterFactory"/>). Clients configure theirs with
/// <see cref="SignalQueueStreams.AddSignalQueueStreams(IClientBuilder, string)"/>.
/// </summary>
public static class RtcMemoryStreams
{
    /// <summary>
    /// How long a pulling agent waits before its next long poll once one came back empty. Events that arrive in
    /// this gap wait for it; the rest arrive at once. Each poll itself waits <see cref="SignalQueueOptions.LongPollWait"/>.
    /// </summary>
    public static readonly TimeSpan PullPeriod = TimeSpan.FromMilliseconds(100);

    public static ISiloBuilder AddRtcMemoryStreams(this ISiloBuilder silo, string name) =>
        silo.AddSignalQueueStreams(name, b =>
            b.ConfigurePullingAgent(ob => ob.Configure(o => o.GetQueueMsgsTimerPeriod = PullPeriod)));
}
