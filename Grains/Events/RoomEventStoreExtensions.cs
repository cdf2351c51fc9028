using System.Runtime.CompilerServices;
using Grains.Interfaces.Events;
using Grains.Interfaces.Rooms;

namespace Grains.Events;

/// <summary>Reading a whole log, or the part of it up to a moment, page by page.</summary>
public static class RoomEventStoreExtensions
{
    public const int PageSize = 500;

    /// <summary>Every event after <paramref name="afterSequence"/>, in order, read one page at a time.</summary>
    public static async IAsyncEnumerable<RoomEvent> ReadAllAsync(this IRoomEventStore store, string roomId,
        long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var page = await store.ReadAsync(roomId, afterSequence, PageSize, cancellationToken);
            foreach (var e in page)
                yield return e;
            if (page.Length < PageSize)
                yield break;
            afterSequence = page[^1].Sequence;
        }
    }

    /// <summary>
    /// The events with a timestamp at or before <paramref name="at"/>. A room's timestamps increase with its
    /// sequence (the room grain guarantees it), so reading stops at the first later event.
    /// </summary>
    public static async IAsyncEnumerable<RoomEvent> ReadUntilAsync(this IRoomEventStore store, string roomId,
        DateTimeOffset at, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in store.ReadAllAsync(roomId, 0, cancellationToken))
        {
            if (e.Timestamp > at)
                yield break;
            yield return e;
        }
    }

    /// <summary>The room's state at <paramref name="at"/>, rebuilt from the log alone.</summary>
    public static async Task<RoomSnapshot> ReplayAsync(this IRoomEventStore store, string roomId,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var snapshot = RoomStateProjector.Empty(roomId);
        await foreach (var e in store.ReadUntilAsync(roomId, at, cancellationToken))
            snapshot = RoomStateProjector.Apply(snapshot, e);
        return snapshot;
    }

    /// <summary>The room's state after every event in the log.</summary>
    public static Task<RoomSnapshot> ReplayAllAsync(this IRoomEventStore store, string roomId,
        CancellationToken cancellationToken = default) =>
        store.ReplayAsync(roomId, DateTimeOffset.MaxValue, cancellationToken);
}
