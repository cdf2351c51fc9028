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

    /// <summary>
    /// Unacknowledged pulls held at most. A reader acknowledges each pull with its next one, so a live queue holds
    /// one or two; beyond this the oldest is forgotten (its batches count as delivered).
    /// </summary>
    public const int MaxHeldPulls = 64;

    private Queue<SignalQueueBatch> _batches = new();
    private readonly Dictionary<Guid, HeldPull> _held = [];
    private readonly HashSet<Guid> _waitingReaders = [];
    private readonly HashSet<Guid> _releasedReaders = [];
    private TaskCompletionSource? _arrival;
    private long _nextHoldOrder;
    // Tokens must keep growing across activations: a queue whose silo died comes back empty elsewhere, and the
    // pulling agent's cache and the consumers skip tokens older than those they have seen. Starting each activation
    // at the clock (100 ns ticks) keeps it ahead of the last one unless silo clocks disagree by more than the gap.
    private long _nextSequenceNumber = DateTime.UtcNow.Ticks;

    /// <summary>What one pull took and has not acknowledged yet, and from which silo.</summary>
    private sealed record HeldPull(SiloAddress Silo, List<SignalQueueBatch> Batches, long Order);

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
        else if (_held.Remove(reader, out var held))
        {
            Requeue(held.Batches);
        }
        return Task.CompletedTask;
    }

    public Task Acknowledge(Guid reader)
    {
        _held.Remove(reader);
        return Task.CompletedTask;
    }

    public async Task<List<SignalQueueBatch>> Dequeue(int maxCount, TimeSpan wait, Guid reader, SiloAddress? readerSilo = null, Guid received = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        if (received != Guid.Empty)
            _held.Remove(received);
        RequeueWhatDeadSilosHeld();
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
            // A pull whose silo was killed while it waited may still take batches: they are held for that silo,
            // and the next pull from a live one puts them back (RequeueWhatDeadSilosHeld).
        }

        var taken = new List<SignalQueueBatch>(Math.Min(maxCount, _batches.Count));
        while (taken.Count < maxCount && _batches.TryDequeue(out var batch))
            taken.Add(batch);
        if (readerSilo is not null && taken.Count > 0)
            Hold(reader, readerSilo, taken);
        return taken;
    }

    private void Hold(Guid reader, SiloAddress silo, List<SignalQueueBatch> batches)
    {
        if (_held.Count >= MaxHeldPulls)
            _held.Remove(_held.MinBy(pair => pair.Value.Order).Key);
        _held[reader] = new HeldPull(silo, batches, _nextHoldOrder++);
    }

    private void RequeueWhatDeadSilosHeld()
    {
        if (_held.Count == 0)
            return;
        List<SignalQueueBatch>? orphaned = null;
        foreach (var (reader, held) in _held)
        {
            if (!IsDead(held.Silo))
                continue;
            _held.Remove(reader);
            (orphaned ??= []).AddRange(held.Batches);
        }
        if (orphaned is not null)
            Requeue(orphaned);
    }

    // Taken before anything still queued, so they go first and in their original order.
    private void Requeue(List<SignalQueueBatch> batches)
    {
        _batches = new Queue<SignalQueueBatch>(batches.OrderBy(b => b.SequenceNumber).Concat(_batches));
        WakeWaitingPulls();
    }

    private bool IsDead(SiloAddress silo) => membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;

    private void WakeWaitingPulls()
    {
        _arrival?.TrySetResult();
        _arrival = null;
    }
}
