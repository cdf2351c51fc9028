using Orleans.Streams;

namespace Grains.Interfaces.Signaling.Queues;

/// <summary>
/// A pulling agent's reader of one <see cref="ISignalQueueGrain"/>: each read is a long poll that returns as soon
/// as the queue holds something, or empty after <see cref="SignalQueueOptions.LongPollWait"/>. Shutdown releases
/// a poll in progress, so a stopping silo does not wait it out and the poll takes nothing on its way out.
/// </summary>
internal sealed class SignalQueueReceiver(ISignalQueueGrain queue, SignalQueueOptions options) : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Nothing = Array.Empty<IBatchContainer>();
    private readonly Guid _reader = Guid.NewGuid();
    private volatile bool _stopping;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        if (_stopping)
            return Nothing;
        int count = maxCount > 0 ? Math.Min(maxCount, options.MaxBatchesPerPull) : options.MaxBatchesPerPull;
        var batches = await queue.Dequeue(count, options.LongPollWait, _reader);
        return batches.Count == 0 ? Nothing : batches.ToList<IBatchContainer>();
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public async Task Shutdown(TimeSpan timeout)
    {
        _stopping = true;
        // The queue may live on a silo that is gone; the agent logs a failure, and there is nothing to release then.
        await queue.Release(_reader).WaitAsync(timeout);
    }
}
