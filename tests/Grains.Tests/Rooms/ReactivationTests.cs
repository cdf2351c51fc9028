using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Tests.Fixtures;

namespace Grains.Tests.Rooms;

/// <summary>
/// Every grain's state is written by Orleans' serializer and must read back after deactivation: a state
/// type without [GenerateSerializer] writes fine and fails only here (FACTS.md).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReactivationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Every_grain_reads_its_state_back_after_deactivation()
    {
        string id = ClusterFixture.NewRoomId();
        var room = fixture.Grains.GetGrain<IRoomGrain>(id);
        await room.CreateAsync(new RoomOptions { MaxParticipants = 4, MaxPublishers = 2, EmptyTimeout = TimeSpan.FromHours(1), Metadata = "keep" });
        await room.JoinAsync(RoomTestData.Join("alice", metadata: "meta"));
        await room.JoinAsync(RoomTestData.Join("bob", ParticipantPermissions.Subscribe));
        await room.PublishAsync(RoomTestData.Publish("alice", "cam"));
        await room.SubscribeAsync("bob", "cam");

        var alice = fixture.Grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(id, "alice"));
        var bob = fixture.Grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(id, "bob"));
        var cam = fixture.Grains.GetGrain<IStreamGrain>(RoomIds.StreamKey(id, "cam"));
        var directory = fixture.Grains.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key);

        var snapshot = await room.GetSnapshotAsync();
        var info = await room.GetAsync();
        var aliceInfo = await alice.GetAsync();
        var bobInfo = await bob.GetAsync();
        var camInfo = await cam.GetAsync();
        var camSubscribers = await cam.GetSubscribersAsync();
        var listed = await directory.ListAsync("", 100_000, includeClosed: true);

        foreach (var grain in new IAddressable[] { room, alice, bob, cam, directory })
            await fixture.Cluster.DeactivateAsync(grain);

        (await room.GetSnapshotAsync()).Should().Be(snapshot);
        (await room.GetAsync()).Should().Be(info);
        (await alice.GetAsync()).Should().Be(aliceInfo);
        (await alice.GetPublishedAsync()).Should().Equal("cam");
        (await bob.GetAsync()).Should().Be(bobInfo);
        (await bob.GetSubscriptionsAsync()).Should().Equal("cam");
        (await cam.GetAsync()).Should().Be(camInfo);
        (await cam.GetSubscribersAsync()).Should().Equal(camSubscribers);
        (await directory.ListAsync("", 100_000, includeClosed: true)).Should().Equal(listed).And.Contain(id);
    }

    [Fact]
    public async Task A_reactivated_room_keeps_numbering_its_events_without_gaps()
    {
        string id = ClusterFixture.NewRoomId();
        var room = fixture.Grains.GetGrain<IRoomGrain>(id);
        await room.CreateAsync(RoomOptions.Default);
        await room.JoinAsync(RoomTestData.Join("a"));
        await fixture.Cluster.DeactivateAsync(room);

        await room.JoinAsync(RoomTestData.Join("b"));
        await fixture.Cluster.DeactivateAsync(room);
        await room.LeaveAsync("a");

        var page = await room.GetEventsAsync(0, 100);
        page.Events.Select(e => e.Sequence).Should().Equal(1, 2, 3, 4);
        page.Events.Select(e => e.Type).Should().Equal(
            Interfaces.Events.RoomEventType.Created, Interfaces.Events.RoomEventType.Joined,
            Interfaces.Events.RoomEventType.Joined, Interfaces.Events.RoomEventType.Left);
    }

    [Fact]
    public async Task A_room_whose_state_write_was_lost_catches_up_from_its_log()
    {
        string id = ClusterFixture.NewRoomId();
        var room = fixture.Grains.GetGrain<IRoomGrain>(id);
        var created = await room.CreateAsync(RoomOptions.Default);
        await fixture.Cluster.DeactivateAsync(room);
        // As if the silo died after appending event 2 and before checkpointing the room's state.
        await fixture.EventStore.AppendAsync(new Interfaces.Events.RoomEvent
        {
            RoomId = id, Sequence = 2, Timestamp = created.CreatedAt.AddSeconds(1),
            Type = Interfaces.Events.RoomEventType.Joined, Identity = "late", Permissions = ParticipantPermissions.Subscribe, Metadata = "",
        });

        var snapshot = await room.GetSnapshotAsync();

        snapshot.LastSequence.Should().Be(2);
        snapshot.Participants.Select(p => p.Identity).Should().Equal("late");
        (await fixture.Grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(id, "late")).GetAsync())!.Permissions
            .Should().Be(ParticipantPermissions.Subscribe);
        (await room.JoinAsync(RoomTestData.Join("next"))).Identity.Should().Be("next");
        (await fixture.Grains.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).ListAsync("", 100_000, false)).Should().Contain(id);
        (await fixture.EventStore.GetLastSequenceAsync(id)).Should().Be(3);
    }
}
