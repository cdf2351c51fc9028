using Grains.Events;
using Grains.Storage.Sqlite;
using Grains.Tests.Fixtures;

namespace Grains.Tests.Events;

public sealed class SqliteRoomEventStoreTests : RoomEventStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new("rtc-sqlite-events");

    protected override Task<IRoomEventStore> CreateStoreAsync() =>
        Task.FromResult<IRoomEventStore>(new SqliteRoomEventStore(new SqliteDatabase(_dir.Path)));

    public void Dispose() => _dir.Dispose();
}
