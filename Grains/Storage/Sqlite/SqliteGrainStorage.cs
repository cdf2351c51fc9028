using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Grains.Storage.Sqlite;

/// <summary>
/// Orleans grain storage in the embedded SQLite file: one row per (state name, grain id) in
/// <c>grain_state</c>, state bytes written by Orleans' own serializer (so every state type needs
/// <c>[GenerateSerializer]</c>), and an integer etag for optimistic concurrency: a write or clear whose
/// etag is stale throws <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class SqliteGrainStorage(string name, SqliteDatabase database, IGrainStorageSerializer serializer,
    IActivatorProvider activators) : IGrainStorage
{
    public string Name { get; } = name;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, data FROM grain_state WHERE state_name = $name AND grain_id = $id";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.State = activators.GetActivator<T>().Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.ETag = reader.GetString(0);
        grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(1)));
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        byte[] data = serializer.Serialize(grainState.State).ToArray();
        string next = NextETag(grainState.ETag);
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        if (grainState.ETag is null)
        {
            command.CommandText = """
                INSERT INTO grain_state (state_name, grain_id, etag, data, updated) VALUES ($name, $id, $next, $data, $now)
                ON CONFLICT (state_name, grain_id) DO NOTHING
                """;
        }
        else
        {
            command.CommandText = """
                UPDATE grain_state SET etag = $next, data = $data, updated = $now
                WHERE state_name = $name AND grain_id = $id AND etag = $etag
                """;
            command.Parameters.AddWithValue("$etag", grainState.ETag);
        }
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        command.Parameters.AddWithValue("$next", next);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcTicks);
        if (await command.ExecuteNonQueryAsync() != 1)
            throw await Mismatch(connection, stateName, grainId, grainState.ETag);
        grainState.ETag = next;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is not null)
        {
            await using var connection = await database.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM grain_state WHERE state_name = $name AND grain_id = $id AND etag = $etag";
            command.Parameters.AddWithValue("$name", stateName);
            command.Parameters.AddWithValue("$id", grainId.ToString());
            command.Parameters.AddWithValue("$etag", grainState.ETag);
            if (await command.ExecuteNonQueryAsync() != 1)
                throw await Mismatch(connection, stateName, grainId, grainState.ETag);
        }
        grainState.State = activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static string NextETag(string? etag) =>
        (etag is null ? 1 : long.Parse(etag, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);

    private static async Task<InconsistentStateException> Mismatch(SqliteConnection connection, string stateName, GrainId grainId, string? expected)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag FROM grain_state WHERE state_name = $name AND grain_id = $id";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        var stored = (string?)await command.ExecuteScalarAsync();
        return new InconsistentStateException(
            $"Grain state '{stateName}' of {grainId} changed underneath: stored etag {stored ?? "(none)"}, expected {expected ?? "(none)"}.",
            stored ?? "", expected ?? "");
    }
}
