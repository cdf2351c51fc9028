using Grains.Interfaces.Signaling.Queues;
using Orleans.Concurrency;

namespace Grains.Signaling;

/// <summary>
/// See <see cref="ISignalQueueGrain"/>. Reentrant: a pull waiting for events must not hold back the enqueue that
/// ends its wait. All state changes happen between awaits on the grain's own scheduler, so they never overlap.
/// </summary>
[Reentrant]
public sealed class SignalQueueGrain(IClusterMembershipService membership) : Grain, ISignalQueueGrain
{
    /// <summary>Batches held before producers are refused: a queue this long has lost its consumer.</summary>
    public const int MaxQueuedBatches = 16_384;

    private readonly Queue<SignalQueueBatch> _batches = new();
    private readonly HashSet<Guid> _waitingReaders = [];
    private readonly HashSet<Guid> _releasedReaders = [];
    private TaskCompletionSource? _arrival;
    // Tokens must keep growing across activations: a queue whose silo died comes back empty elsewhere, and the
    // pulling agent's cache and the consumers skip tokens older than those they have seen. Starting each activation
    // at the clock (100 ns ticks) keeps it ahead of the last one unless silo clocks disagree by more than the gap.
    private long _nextSequenceNumber = DateTime.UtcNow.Ticks;

    public Task Enqueue(SignalQueueBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_batches.Count >= MaxQueuedBatches)
            throw new SignalQueueFullException($"Signal queue '{this.GetPrimaryKeyString()}' holds {MaxQueuedBatches} batches and takes no more until they are read.");
        _batches.Enqueue(batch.WithSequenceNumber(_nextSequenceNumber++));
        WakeWaitingPulls();
        return Task.CompletedTask;
    }

    public Task Release(Guid reader)
    {
        if (_waitingReaders.Contains(reader))
        {
            _releasedReaders.Add(reader);
            WakeWaitingPulls();
        }
        return Task.CompletedTask;
    }

    public async Task<List<SignalQueueBatch>> Dequeue(int maxCount, TimeSpan wait, Guid reader, SiloAddress? readerSilo = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        if (_batches.Count == 0 && wait > TimeSpan.Zero)
        {
            _waitingReaders.Add(reader);
            _arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // A timeout ends the wait without an exception; the continuation stays on the grain's scheduler.
            await _arrival.Task.WaitAsync(wait)
                .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
            _waitingReaders.Remove(reader);
            if (_releasedReaders.Remove(reader))
                return []; // its reader has stopped: leave the batches for the next one
            if (readerSilo is not null && membership.CurrentSnapshot.GetSiloStatus(readerSilo) == SiloStatus.Dead)
                return []; // its silo was killed while it waited: what it took would never be delivered
        }

        var taken = new List<SignalQueueBatch>(Math.Min(maxCount, _batches.Count));
        while (taken.Count < maxCount && _batches.TryDequeue(out var batch))
            taken.Add(batch);
        return taken;
    }

    private void WakeWaitingPulls()
    {
        _arrival?.TrySetResult();
        _arrival = null;
    }
}
