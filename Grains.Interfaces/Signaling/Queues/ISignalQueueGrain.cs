namespace Grains.Interfaces.Signaling.Queues;

/// <summary>
/// One in-memory queue of signaling events (key: provider name and queue number). Producers enqueue; the silo's
/// pulling agent for the queue dequeues with a long poll, so an idle queue costs one call per
/// SignalQueueOptions.LongPollWait (Grains/SignalQueues) instead of one per pull period, and an event is handed out as
/// soon as it arrives. What a silo's pull takes is held until the reader acknowledges it, and handed out again
/// if the reader's silo dies first (at least once). Held in memory only: events queued on a silo that dies are
/// lost, as with Orleans' memory streams.
/// </summary>
public interface ISignalQueueGrain : IGrainWithStringKey
{
    /// <summary>Appends a batch. Fails with <see cref="SignalQueueFullException"/> when the queue holds its maximum.</summary>
    Task Enqueue(SignalQueueBatch batch);

    /// <summary>
    /// Up to <paramref name="maxCount"/> batches in queue order; when the queue is empty, waits up to
    /// <paramref name="wait"/> for the first one (an empty list after that, or once <see cref="Release"/> is
    /// called for <paramref name="reader"/>).
    /// <para>
    /// With <paramref name="readerSilo"/>, what the pull takes stays held for it until acknowledged: by naming the
    /// pull as <paramref name="received"/> in the reader's next <see cref="Dequeue"/>, or with
    /// <see cref="Acknowledge"/>. Held batches go back to the front of the queue when their reader's silo is
    /// declared dead (a crashed silo may have taken them in the seconds before, or its pull, which it can no longer
    /// release, may take them afterwards) or when the pull is released
    /// after it returned (its reader gave up waiting for the answer), so the next pull takes them again.
    /// </para>
    /// </summary>
    Task<List<SignalQueueBatch>> Dequeue(int maxCount, TimeSpan wait, Guid reader, SiloAddress? readerSilo = null, Guid received = default);

    /// <summary>
    /// Ends <paramref name="reader"/>'s waiting pull with an empty list and nothing taken. A reader that stops calls
    /// it, so the pull it leaves behind cannot take batches that nobody would deliver. If the pull has already
    /// returned batches that are still held, they go back to the front of the queue: the reader never saw them.
    /// </summary>
    Task Release(Guid reader);

    /// <summary>The batches pull <paramref name="reader"/> took were delivered: stop holding them.</summary>
    Task Acknowledge(Guid reader);

    static string KeyOf(string provider, uint queueNumber) => $"{provider}/{queueNumber}";
}
