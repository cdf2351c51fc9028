using System.Collections.Immutable;
using Grains.Interfaces.Events;

namespace Grains.Events;

/// <summary>
/// A room's append-only event log, one row or entity per event, keyed by (room, sequence). Appending a
/// room's 100,000th event costs what appending its first does, and a page of the log is read without
/// reading the rest.
/// </summary>
public interface IRoomEventStore
{
    /// <summary>
    /// Creates tables or schema if missing; idempotent. Called once by the host before use.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends one event. Appending an event identical to the one already stored at its (room, sequence)
    /// succeeds and changes nothing (a retried append); a different event there throws
    /// <see cref="EventSequenceConflictException"/>. A room's events are appended one at a time, in
    /// sequence order (its grain is their only writer).
    /// </summary>
    Task AppendAsync(RoomEvent roomEvent, CancellationToken cancellationToken = default);

    /// <summary>Events of <paramref name="roomId"/> with sequence &gt; <paramref name="afterSequence"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<ImmutableArray<RoomEvent>> ReadAsync(string roomId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence stored for the room, 0 when it has none.</summary>
    Task<long> GetLastSequenceAsync(string roomId, CancellationToken cancellationToken = default);
}
