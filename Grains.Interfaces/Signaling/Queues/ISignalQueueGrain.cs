namespace Grains.Interfaces.Signaling.Queues;

/// <summary>
/// One in-memory queue of signaling events (key: provider name and queue number). Producers enqueue; the silo's
/// pulling agent for the queue dequeues with a long poll, so an idle queue costs one call per
/// <see cref="SignalQueueOptions.LongPollWait"/> instead of one per pull period, and an event is handed out as
/// soon as it arrives. Held in memory only: events queued on a silo that dies are lost, as with Orleans'
/// memory streams.
/// </summary>
public interface ISignalQueueGrain : IGrainWithStringKey
{
    /// <summary>Appends a batch. Fails with <see cref="SignalQueueFullException"/> when the queue holds its maximum.</summary>
    Task Enqueue(SignalQueueBatch batch);

    /// <summary>
    /// Up to <paramref name="maxCount"/> batches in queue order; when the queue is empty, waits up to
    /// <paramref name="wait"/> for the first one (an empty list after that, or once <see cref="Release"/> is
    /// called for <paramref name="reader"/>). A pull from <paramref name="readerSilo"/> that is declared dead while
    /// it waits takes nothing: a killed silo cannot release its pull, which would otherwise take the next batch.
    /// </summary>
    Task<List<SignalQueueBatch>> Dequeue(int maxCount, TimeSpan wait, Guid reader, SiloAddress? readerSilo = null);

    /// <summary>
    /// Ends <paramref name="reader"/>'s waiting pull with an empty list and nothing taken. A reader that stops calls
    /// it, so the pull it leaves behind cannot take batches that nobody would deliver.
    /// </summary>
    Task Release(Guid reader);

    static string KeyOf(string provider, uint queueNumber) => $"{provider}/{queueNumber}";
}
