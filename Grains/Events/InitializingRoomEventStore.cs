using System.Collections.Immutable;
using Grains.Interfaces.Events;

namespace Grains.Events;

/// <summary>Runs the inner store's <see cref="IRoomEventStore.InitializeAsync"/> once, before its first use; retries after a failure.</summary>
public sealed class InitializingRoomEventStore(IRoomEventStore inner) : IRoomEventStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public IRoomEventStore Inner => inner;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_ready)
            return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                await inner.InitializeAsync(cancellationToken);
                _ready = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task AppendAsync(RoomEvent roomEvent, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken);
        await inner.AppendAsync(roomEvent, cancellationToken);
    }

    public async Task<ImmutableArray<RoomEvent>> ReadAsync(string roomId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken);
        return await inner.ReadAsync(roomId, afterSequence, limit, cancellationToken);
    }

    public async Task<long> GetLastSequenceAsync(string roomId, CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken);
        return await inner.GetLastSequenceAsync(roomId, cancellationToken);
    }
}
