using System.Collections.Immutable;
using Grains.Interfaces.Events;
using Npgsql;

namespace Grains.Events;

/// <summary>
/// Event log in PostgreSQL: table <c>rtc_room_events(room, seq, ts, json)</c>, primary key (room, seq),
/// created by <see cref="InitializeAsync"/>. The JSON is kept as text, byte for byte as written.
/// </summary>
public sealed class PostgresRoomEventStore(NpgsqlDataSource dataSource) : IRoomEventStore
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS rtc_room_events (
                room TEXT NOT NULL,
                seq  BIGINT NOT NULL,
                ts   TIMESTAMPTZ NOT NULL,
                json TEXT NOT NULL,
                PRIMARY KEY (room, seq)
            )
            """);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Two processes created it at the same moment: it exists now.
        }
    }

    public async Task AppendAsync(RoomEvent roomEvent, CancellationToken cancellationToken = default)
    {
        string json = RoomEventJson.Serialize(roomEvent);
        await using var insert = dataSource.CreateCommand(
            "INSERT INTO rtc_room_events (room, seq, ts, json) VALUES ($1, $2, $3, $4) ON CONFLICT (room, seq) DO NOTHING");
        insert.Parameters.AddWithValue(roomEvent.RoomId);
        insert.Parameters.AddWithValue(roomEvent.Sequence);
        insert.Parameters.AddWithValue(roomEvent.Timestamp.ToUniversalTime());
        insert.Parameters.AddWithValue(json);
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            return;
        await using var read = dataSource.CreateCommand("SELECT json FROM rtc_room_events WHERE room = $1 AND seq = $2");
        read.Parameters.AddWithValue(roomEvent.RoomId);
        read.Parameters.AddWithValue(roomEvent.Sequence);
        if ((string?)await read.ExecuteScalarAsync(cancellationToken) != json)
            throw new EventSequenceConflictException(roomEvent.RoomId, roomEvent.Sequence);
    }

    public async Task<ImmutableArray<RoomEvent>> ReadAsync(string roomId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = dataSource.CreateCommand(
            "SELECT json FROM rtc_room_events WHERE room = $1 AND seq > $2 ORDER BY seq LIMIT $3");
        command.Parameters.AddWithValue(roomId);
        command.Parameters.AddWithValue(afterSequence);
        command.Parameters.AddWithValue((long)limit);
        var events = ImmutableArray.CreateBuilder<RoomEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            events.Add(RoomEventJson.Deserialize(reader.GetString(0)));
        return events.ToImmutable();
    }

    public async Task<long> GetLastSequenceAsync(string roomId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT COALESCE(MAX(seq), 0) FROM rtc_room_events WHERE room = $1");
        command.Parameters.AddWithValue(roomId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }
}
