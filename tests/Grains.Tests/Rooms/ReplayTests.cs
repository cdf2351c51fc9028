using Grains.Events;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Tests.Fixtures;

namespace Grains.Tests.Rooms;

/// <summary>The live state equals the projection of the log, now and at every past moment.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplayTests(ClusterFixture fixture)
{
    /// <summary>Runs a scripted room history, returning the live snapshot seen after every step.</summary>
    internal static async Task<List<RoomSnapshot>> RunHistoryAsync(IRoomGrain room)
    {
        var seen = new List<RoomSnapshot>();
        async Task Step(Func<Task> change)
        {
            await change();
            seen.Add(await room.GetSnapshotAsync());
        }

        await Step(() => room.CreateAsync(new RoomOptions { MaxParticipants = 10, Metadata = "replay" }));
        await Step(() => room.JoinAsync(RoomTestData.Join("alice", metadata: "a")));
        await Step(() => room.JoinAsync(RoomTestData.Join("bob")));
        await Step(() => room.PublishAsync(RoomTestData.Publish("alice", "alice-cam")));
        await Step(() => room.PublishAsync(RoomTestData.Publish("alice", "alice-mic", StreamKind.Audio, 9)));
        await Step(() => room.SubscribeAsync("bob", "alice-cam"));
        await Step(() => room.SubscribeAsync("bob", "alice-mic"));
        await Step(() => room.JoinAsync(RoomTestData.Join("carol")));
        await Step(() => room.PublishAsync(RoomTestData.Publish("carol", "carol-cam", ssrc: 500)));
        await Step(() => room.SubscribeAsync("alice", "carol-cam"));
        await Step(() => room.UnsubscribeAsync("bob", "alice-mic"));
        await Step(() => room.UnpublishAsync("alice-cam"));
        await Step(() => room.KickAsync("carol", "test"));
        await Step(() => room.LeaveAsync("bob"));
        await Step(() => room.CloseAsync("end"));
        return seen;
    }

    [Fact]
    public async Task State_at_each_past_moment_equals_the_live_state_seen_then()
    {
        string id = ClusterFixture.NewRoomId();
        var room = fixture.Grains.GetGrain<IRoomGrain>(id);
        var seen = await RunHistoryAsync(room);

        seen.Select(s => s.LastSequence).Should().Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i));
        foreach (var live in seen)
        {
            var replayed = await room.GetStateAtAsync(live.AsOf!.Value);
            replayed.Should().Be(live, "replay at {0} (event {1})", live.AsOf, live.LastSequence);
        }
        (await room.GetStateAtAsync(seen[0].AsOf!.Value.AddTicks(-1))).Should().Be(RoomStateProjector.Empty(id));
    }

    [Fact]
    public async Task Live_snapshot_equals_the_projection_of_the_full_log()
    {
        string id = ClusterFixture.NewRoomId();
        var room = fixture.Grains.GetGrain<IRoomGrain>(id);
        var seen = await RunHistoryAsync(room);
        var midway = seen[9];

        var fromStore = await fixture.EventStore.ReplayAllAsync(id);
        var events = await fixture.EventStore.ReadAsync(id, 0, 1000);

        fromStore.Should().Be(await room.GetSnapshotAsync());
        RoomStateProjector.ApplyAll(RoomStateProjector.Empty(id), events.Take(10)).Should().Be(midway);
        midway.Participants.Select(p => p.Identity).Should().Equal("alice", "bob", "carol");
        midway.Streams.Select(s => s.StreamId).Should().Equal("alice-cam", "alice-mic", "carol-cam");
        midway.Subscriptions.Select(s => (s.StreamId, s.SubscriberIdentity)).Should().Equal(
            ("alice-cam", "bob"), ("alice-mic", "bob"), ("carol-cam", "alice"));
    }

    [Fact]
    public async Task Timestamps_strictly_increase_with_sequence()
    {
        string id = ClusterFixture.NewRoomId();
        await RunHistoryAsync(fixture.Grains.GetGrain<IRoomGrain>(id));
        var events = await fixture.EventStore.ReadAsync(id, 0, 1000);

        events.Select(e => e.Timestamp).Should().BeInAscendingOrder();
        events.Select(e => e.Timestamp).Should().OnlyHaveUniqueItems();
    }
}
