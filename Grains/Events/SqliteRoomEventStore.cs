using System.Collections.Immutable;
using Grains.Interfaces.Events;
using Grains.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Events;

/// <summary>Event log in the embedded SQLite file: table <c>events(room, seq, ts, json)</c>, primary key (room, seq).</summary>
public sealed class SqliteRoomEventStore(SqliteDatabase database) : IRoomEventStore
{
    private const int SqliteConstraintPrimaryKey = 1555;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => database.InitializeAsync(cancellationToken);

    public async Task AppendAsync(RoomEvent roomEvent, CancellationToken cancellationToken = default)
    {
        string json = RoomEventJson.Serialize(roomEvent);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO events (room, seq, ts, json) VALUES ($room, $seq, $ts, $json)";
        insert.Parameters.AddWithValue("$room", roomEvent.RoomId);
        insert.Parameters.AddWithValue("$seq", roomEvent.Sequence);
        insert.Parameters.AddWithValue("$ts", roomEvent.Timestamp.UtcTicks);
        insert.Parameters.AddWithValue("$json", json);
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
        {
            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT json FROM events WHERE room = $room AND seq = $seq";
            read.Parameters.AddWithValue("$room", roomEvent.RoomId);
            read.Parameters.AddWithValue("$seq", roomEvent.Sequence);
            var existing = (string?)await read.ExecuteScalarAsync(cancellationToken);
            if (existing != json)
                throw new EventSequenceConflictException(roomEvent.RoomId, roomEvent.Sequence);
        }
    }

    public async Task<ImmutableArray<RoomEvent>> ReadAsync(string roomId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM events WHERE room = $room AND seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$room", roomId);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", limit);
        var events = ImmutableArray.CreateBuilder<RoomEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            events.Add(RoomEventJson.Deserialize(reader.GetString(0)));
        return events.ToImmutable();
    }

    public async Task<long> GetLastSequenceAsync(string roomId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events WHERE room = $room";
        command.Parameters.AddWithValue("$room", roomId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }
}
