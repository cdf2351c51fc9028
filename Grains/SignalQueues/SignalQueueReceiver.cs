using Grains.Interfaces.Signaling.Queues;
using Orleans.Streams;

namespace Grains.SignalQueues;

/// <summary>
/// A pulling agent's reader of one <see cref="ISignalQueueGrain"/>: each read is a long poll that returns as soon
/// as the queue holds something, or empty after <see cref="SignalQueueOptions.LongPollWait"/>. Each poll
/// acknowledges what the previous one took (the agent has cached it for delivery by then), so the queue can hand
/// it out again if this silo dies holding it. Shutdown acknowledges the last poll and releases a poll in progress,
/// so a stopping silo does not wait it out and the poll takes nothing on its way out.
/// </summary>
/// <param name="localSilo">The silo this reader runs on, so the queue can tell when a pull's silo has died.</param>
internal sealed class SignalQueueReceiver(ISignalQueueGrain queue, SignalQueueOptions options, SiloAddress? localSilo) : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Nothing = Array.Empty<IBatchContainer>();
    private Guid _currentPoll;
    // The last poll that returned batches: acknowledged with the next poll.
    private Guid _received;
    private volatile bool _stopping;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        if (_stopping)
            return Nothing;
        int count = maxCount > 0 ? Math.Min(maxCount, options.MaxBatchesPerPull) : options.MaxBatchesPerPull;
        // Each poll has its own id, so releasing one can never end a later one.
        var poll = Guid.NewGuid();
        _currentPoll = poll;
        List<SignalQueueBatch> batches;
        try
        {
            // A call in flight to a silo that dies is not failed when the silo is declared dead: it waits out
            // Orleans' response timeout (30 s, measured). Bounding it lets the agent's next poll reach the queue's
            // new activation within seconds.
            batches = await queue.Dequeue(count, options.LongPollWait, poll, localSilo, _received).WaitAsync(options.LongPollWait + options.PollGrace);
        }
        catch (TimeoutException)
        {
            // If the grain is alive after all, the release ends the poll without taking anything, or gives back what
            // it took. Whether the acknowledgement arrived is unknown, so the next poll repeats it.
            _ = queue.Release(poll).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw new TimeoutException($"A signal-queue poll did not return within {options.LongPollWait + options.PollGrace}; the queue's silo may be gone. The next poll retries.");
        }
        _received = batches.Count == 0 ? Guid.Empty : poll;
        return batches.Count == 0 ? Nothing : batches.ToList<IBatchContainer>();
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public async Task Shutdown(TimeSpan timeout)
    {
        _stopping = true;
        // The queue may live on a silo that is gone; the agent logs a failure, and there is nothing to release then.
        // Acknowledge first: the last poll's batches were handed to the agent, and releasing that poll would give them back.
        await ShutdownCallsAsync().WaitAsync(timeout);
    }

    private async Task ShutdownCallsAsync()
    {
        if (_received != Guid.Empty)
            await queue.Acknowledge(_received);
        await queue.Release(_currentPoll);
    }
}
