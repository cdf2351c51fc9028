using Grains.Storage.Sqlite;
using Grains.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Grains.Rooms;

namespace Grains.Tests.Storage;

/// <summary>The embedded grain storage: round trip and optimistic concurrency by etag.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SqliteGrainStorageTests(ClusterFixture fixture)
{
    private IGrainStorage Storage => fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Rtc);

    private static GrainId NewId() => GrainId.Create("test", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task State_round_trips_and_a_missing_record_reads_as_new()
    {
        var id = NewId();
        var written = new GrainState<RoomDirectoryState> { State = new RoomDirectoryState() };
        written.State.Rooms["r1"] = Interfaces.Rooms.RoomStatus.Closed;

        var missing = new GrainState<RoomDirectoryState>();
        await Storage.ReadStateAsync("s", id, missing);
        await Storage.WriteStateAsync("s", id, written);
        var read = new GrainState<RoomDirectoryState>();
        await Storage.ReadStateAsync("s", id, read);

        missing.RecordExists.Should().BeFalse();
        missing.State.Should().NotBeNull();
        read.RecordExists.Should().BeTrue();
        read.ETag.Should().Be(written.ETag);
        read.State!.Rooms.Should().Equal(written.State.Rooms);
    }

    [Fact]
    public async Task A_stale_etag_is_refused_on_write_and_clear()
    {
        var id = NewId();
        var first = new GrainState<RoomDirectoryState> { State = new RoomDirectoryState() };
        await Storage.WriteStateAsync("s", id, first);
        var stale = new GrainState<RoomDirectoryState> { State = new RoomDirectoryState(), ETag = first.ETag };
        await Storage.WriteStateAsync("s", id, first);

        var write = () => Storage.WriteStateAsync("s", id, stale);
        var clear = () => Storage.ClearStateAsync("s", id, stale);
        var insertAgain = () => Storage.WriteStateAsync("s", id, new GrainState<RoomDirectoryState> { State = new RoomDirectoryState() });

        await write.Should().ThrowAsync<InconsistentStateException>();
        await clear.Should().ThrowAsync<InconsistentStateException>();
        await insertAgain.Should().ThrowAsync<InconsistentStateException>();
        await Storage.ClearStateAsync("s", id, first);
        first.RecordExists.Should().BeFalse();
        var read = new GrainState<RoomDirectoryState>();
        await Storage.ReadStateAsync("s", id, read);
        read.RecordExists.Should().BeFalse();
    }
}
