using Grains.Interfaces.Rooms;
using Grains.Tests.Fixtures;

namespace Grains.Tests.Rooms;

[Collection(ClusterCollection.Name)]
public sealed class RoomLifecycleTests(ClusterFixture fixture)
{
    private IRoomGrain Room(string id) => fixture.Grains.GetGrain<IRoomGrain>(id);

    [Fact]
    public async Task Create_then_get_returns_the_open_room_with_its_options()
    {
        string id = ClusterFixture.NewRoomId();
        var options = new RoomOptions { MaxParticipants = 5, MaxPublishers = 2, EmptyTimeout = TimeSpan.FromMinutes(3), Metadata = "m" };

        var created = await Room(id).CreateAsync(options);
        var got = await Room(id).GetAsync();

        created.Status.Should().Be(RoomStatus.Open);
        created.Options.Should().Be(options);
        got.Should().Be(created);
    }

    [Fact]
    public async Task Get_of_a_room_never_created_is_null()
    {
        (await Room(ClusterFixture.NewRoomId()).GetAsync()).Should().BeNull();
    }

    [Fact]
    public async Task Create_again_with_same_options_is_idempotent_and_with_other_options_conflicts()
    {
        string id = ClusterFixture.NewRoomId();
        var first = await Room(id).CreateAsync(RoomOptions.Default);

        (await Room(id).CreateAsync(RoomOptions.Default)).Should().Be(first);
        var act = () => Room(id).CreateAsync(new RoomOptions { MaxParticipants = 3 });
        (await act.Should().ThrowAsync<RoomException>()).Which.Code.Should().Be(RoomErrorCode.Conflict);
        (await fixture.EventStore.GetLastSequenceAsync(id)).Should().Be(1);
    }

    [Fact]
    public async Task List_pages_in_order_and_hides_closed_rooms_unless_asked()
    {
        string prefix = "list-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToArray();
        foreach (var id in ids)
            await Room(id).CreateAsync(RoomOptions.Default);
        await Room(ids[2]).CloseAsync("done");
        var directory = fixture.Grains.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key);

        var open = (await directory.ListAsync(prefix, 1000, includeClosed: false)).Where(r => r.StartsWith(prefix)).ToArray();
        var all = (await directory.ListAsync(prefix, 1000, includeClosed: true)).Where(r => r.StartsWith(prefix)).ToArray();
        var page = await directory.ListAsync(ids[0], 2, includeClosed: true);

        open.Should().Equal(ids[0], ids[1], ids[3], ids[4]);
        all.Should().Equal(ids);
        page.Should().Equal(ids[1], ids[2]);
    }

    [Fact]
    public async Task Close_removes_everyone_is_idempotent_and_refuses_later_changes()
    {
        string id = ClusterFixture.NewRoomId();
        await Room(id).CreateAsync(RoomOptions.Default);
        await Room(id).JoinAsync(RoomTestData.Join("alice"));
        await Room(id).PublishAsync(RoomTestData.Publish("alice", "cam"));

        await Room(id).CloseAsync("bye");
        await Room(id).CloseAsync("again");

        var info = await Room(id).GetAsync();
        info!.Status.Should().Be(RoomStatus.Closed);
        info.ClosedAt.Should().NotBeNull();
        info.ParticipantCount.Should().Be(0);
        (await Room(id).GetStreamsAsync()).Should().BeEmpty();
        (await fixture.EventStore.GetLastSequenceAsync(id)).Should().Be(4);
        var join = () => Room(id).JoinAsync(RoomTestData.Join("bob"));
        (await join.Should().ThrowAsync<RoomException>()).Which.Code.Should().Be(RoomErrorCode.Closed);
        var create = () => Room(id).CreateAsync(RoomOptions.Default);
        (await create.Should().ThrowAsync<RoomException>()).Which.Code.Should().Be(RoomErrorCode.Closed);
    }

    [Fact]
    public async Task Operations_on_an_unknown_room_are_not_found()
    {
        var room = Room(ClusterFixture.NewRoomId());
        Func<Task>[] calls =
        [
            () => room.JoinAsync(RoomTestData.Join("a")),
            () => room.CloseAsync("x"),
            () => room.PublishAsync(RoomTestData.Publish("a", "s")),
            () => room.GetEventsAsync(0, 10),
            () => room.GetParticipantsAsync(),
        ];
        foreach (var call in calls)
            (await call.Should().ThrowAsync<RoomException>()).Which.Code.Should().Be(RoomErrorCode.NotFound);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a-room-id-that-is-far-too-long-0123456789-0123456789-0123456789-0123456789")]
    [InlineData("slash/inside")]
    public async Task Invalid_room_ids_are_refused(string id)
    {
        var act = () => fixture.Grains.GetGrain<IRoomGrain>(id).CreateAsync(RoomOptions.Default);
        (await act.Should().ThrowAsync<RoomException>()).Which.Code.Should().Be(RoomErrorCode.Invalid);
    }

    [Fact]
    public async Task Invalid_options_are_refused_and_nothing_is_logged()
    {
        string id = ClusterFixture.NewRoomId();
        RoomOptions[] bad =
        [
            new() { MaxParticipants = -1 },
            new() { MaxPublishers = -2 },
            new() { EmptyTimeout = TimeSpan.FromSeconds(-1) },
            new() { Metadata = new string('x', 5000) },
        ];
        foreach (var options in bad)
        {
            var act = () => Room(id).CreateAsync(options);
            (await act.Should().ThrowAsync<RoomException>()).Which.Code.Should().Be(RoomErrorCode.Invalid);
        }
        (await fixture.EventStore.GetLastSequenceAsync(id)).Should().Be(0);
        (await Room(id).GetAsync()).Should().BeNull();
    }

    [Fact]
    public async Task An_empty_room_closes_after_its_empty_timeout()
    {
        string id = ClusterFixture.NewRoomId();
        await Room(id).CreateAsync(new RoomOptions { EmptyTimeout = TimeSpan.FromMilliseconds(300) });
        await Room(id).JoinAsync(RoomTestData.Join("alice"));
        await Task.Delay(600);
        (await Room(id).GetAsync())!.Status.Should().Be(RoomStatus.Open, "someone is in it");

        await Room(id).LeaveAsync("alice");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await Room(id).GetAsync())!.Status == RoomStatus.Open && DateTime.UtcNow < deadline)
            await Task.Delay(100);

        var events = await Room(id).GetEventsAsync(0, 100);
        (await Room(id).GetAsync())!.Status.Should().Be(RoomStatus.Closed);
        events.Events[^1].Reason.Should().Be("empty timeout");
    }
}
