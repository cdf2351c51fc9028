using Orleans.Streams;

namespace Grains.Interfaces.Signaling.Queues;

/// <summary>
/// A pulling agent's reader of one <see cref="ISignalQueueGrain"/>: each read is a long poll that returns as soon
/// as the queue holds something, or empty after <see cref="SignalQueueOptions.LongPollWait"/>. Shutdown cancels
/// a poll in progress so a stopping silo does not wait it out.
/// </summary>
internal sealed class SignalQueueReceiver(ISignalQueueGrain queue, SignalQueueOptions options) : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Nothing = Array.Empty<IBatchContainer>();
    private readonly CancellationTokenSource _stopping = new();

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
            return Nothing;
        int count = maxCount > 0 ? Math.Min(maxCount, options.MaxBatchesPerPull) : options.MaxBatchesPerPull;
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, cancellationToken);
        try
        {
            var batches = await queue.Dequeue(count, options.LongPollWait, poll.Token);
            return batches.Count == 0 ? Nothing : batches.ToList<IBatchContainer>();
        }
        catch (OperationCanceledException) when (poll.IsCancellationRequested)
        {
            return Nothing;
        }
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }
}
