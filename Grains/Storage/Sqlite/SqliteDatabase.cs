using Microsoft.Data.Sqlite;

namespace Grains.Storage.Sqlite;

/// <summary>
/// The embedded default's one database file (<c>rtc.db</c> under the data directory): grain state and
/// room event logs. Write-ahead logging lets readers run beside the one writer; <c>synchronous=NORMAL</c>
/// in WAL mode keeps every committed transaction across a process kill (only an OS crash or power loss
/// can lose the last ones).
/// </summary>
public sealed class SqliteDatabase
{
    public const string FileName = "rtc.db";

    private readonly SemaphoreSlim _init = new(1, 1);
    private bool _initialized;

    public SqliteDatabase(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        FilePath = Path.Combine(DataDirectory, FileName);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string DataDirectory { get; }
    public string FilePath { get; }
    public string ConnectionString { get; }

    /// <summary>An open connection, schema created on first use.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!_initialized)
            await InitializeAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _init.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
                return;
            Directory.CreateDirectory(DataDirectory);
            await using var connection = await OpenRawAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS events (
                    room TEXT NOT NULL,
                    seq  INTEGER NOT NULL,
                    ts   INTEGER NOT NULL,
                    json TEXT NOT NULL,
                    PRIMARY KEY (room, seq)
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS grain_state (
                    state_name TEXT NOT NULL,
                    grain_id   TEXT NOT NULL,
                    etag       TEXT NOT NULL,
                    data       BLOB NOT NULL,
                    updated    INTEGER NOT NULL,
                    PRIMARY KEY (state_name, grain_id)
                ) WITHOUT ROWID;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
            _initialized = true;
        }
        finally
        {
            _init.Release();
        }
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
