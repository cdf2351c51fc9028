using Grains.Events;
using Grains.Tests.Fixtures;
using Npgsql;

namespace Grains.Tests.Events;

/// <summary>Against a real PostgreSQL (RTC_TEST_POSTGRES).</summary>
public sealed class PostgresRoomEventStoreTests : RoomEventStoreContract
{
    protected override Task<IRoomEventStore> CreateStoreAsync() =>
        Task.FromResult<IRoomEventStore>(new PostgresRoomEventStore(NpgsqlDataSource.Create(TestServers.Postgres)));
}
