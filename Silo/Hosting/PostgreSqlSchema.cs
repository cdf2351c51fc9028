using Grains.Events;
using Npgsql;

namespace Silo.Hosting;

/// <summary>
/// Applies the PostgreSQL schema before the silo starts: Orleans' ADO.NET tables and queries
/// (<c>PostgreSqlOrleansSchema.sql</c>, embedded) and the room event table. Idempotent; concurrent silos
/// serialize on an advisory lock.
/// </summary>
public static class PostgreSqlSchema
{
    private const long AdvisoryLockKey = 0x7274_6373_6368_656D; // "rtcschem"

    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        string sql = await ReadScriptAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", connection, tx))
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(sql, connection, tx))
                await command.ExecuteNonQueryAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        await new PostgresRoomEventStore(dataSource).InitializeAsync(cancellationToken);
    }

    private static async Task<string> ReadScriptAsync()
    {
        var assembly = typeof(PostgreSqlSchema).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("PostgreSqlOrleansSchema.sql", StringComparison.Ordinal));
        await using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
