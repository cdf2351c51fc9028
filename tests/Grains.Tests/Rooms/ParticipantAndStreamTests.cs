using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Tests.Fixtures;

namespace Grains.Tests.Rooms;

[Collection(ClusterCollection.Name)]
public sealed class ParticipantAndStreamTests(ClusterFixture fixture)
{
    private async Task<(string Id, IRoomGrain Room)> NewRoom(RoomOptions? options = null)
    {
        string id = ClusterFixture.NewRoomId();
        var room = fixture.Grains.GetGrain<IRoomGrain>(id);
        await room.CreateAsync(options ?? RoomOptions.Default);
        return (id, room);
    }

    /// <summary>A new room that alice and bob (default permissions) have joined, in that order.</summary>
    private async Task<(string Id, IRoomGrain Room)> NewRoomWithAliceAndBob()
    {
        var (id, room) = await NewRoom();
        await room.JoinAsync(RoomTestData.Join("alice"));
        await room.JoinAsync(RoomTestData.Join("bob"));
        return (id, room);
    }

    private IParticipantGrain Participant(string room, string identity) =>
        fixture.Grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(room, identity));

    private IStreamGrain Stream(string room, string streamId) =>
        fixture.Grains.GetGrain<IStreamGrain>(RoomIds.StreamKey(room, streamId));

    private static async Task ShouldFail(Func<Task> act, RoomErrorCode code) =>
        (await act.Should().ThrowAsync<RoomException>()).Which.Code.Should().Be(code);

    [Fact]
    public async Task Join_and_leave_update_the_room_and_the_participant_grain()
    {
        var (id, room) = await NewRoom();

        var alice = await room.JoinAsync(RoomTestData.Join("alice", metadata: "hi"));
        await room.JoinAsync(RoomTestData.Join("bob", ParticipantPermissions.Subscribe));

        alice.Identity.Should().Be("alice");
        alice.Metadata.Should().Be("hi");
        (await room.GetParticipantsAsync()).Select(p => p.Identity).Should().Equal("alice", "bob");
        (await Participant(id, "alice").GetAsync()).Should().Be(alice);

        await room.LeaveAsync("alice");
        await room.LeaveAsync("alice");
        await room.LeaveAsync("nobody");

        (await room.GetParticipantsAsync()).Select(p => p.Identity).Should().Equal("bob");
        (await Participant(id, "alice").GetAsync()).Should().BeNull();
    }

    [Fact]
    public async Task Joining_twice_with_one_identity_conflicts()
    {
        var (_, room) = await NewRoom();
        await room.JoinAsync(RoomTestData.Join("alice"));
        await ShouldFail(() => room.JoinAsync(RoomTestData.Join("alice")), RoomErrorCode.Conflict);
    }

    [Fact]
    public async Task Kick_removes_the_participant_with_their_streams_and_subscriptions()
    {
        var (id, room) = await NewRoomWithAliceAndBob();
        await room.PublishAsync(RoomTestData.Publish("alice", "alice-cam"));
        await room.PublishAsync(RoomTestData.Publish("bob", "bob-cam", ssrc: 2222));
        await room.SubscribeAsync("bob", "alice-cam");
        await room.SubscribeAsync("alice", "bob-cam");

        await room.KickAsync("alice", "rude");

        var snapshot = await room.GetSnapshotAsync();
        snapshot.Participants.Select(p => p.Identity).Should().Equal("bob");
        snapshot.Streams.Select(s => s.StreamId).Should().Equal("bob-cam");
        snapshot.Subscriptions.Should().BeEmpty();
        (await Stream(id, "alice-cam").GetAsync()).Should().BeNull();
        (await Stream(id, "bob-cam").GetSubscribersAsync()).Should().BeEmpty();
        (await Participant(id, "bob").GetSubscriptionsAsync()).Should().BeEmpty();
        (await Participant(id, "alice").GetAsync()).Should().BeNull();
        await ShouldFail(() => room.KickAsync("alice", "again"), RoomErrorCode.NotFound);
    }

    [Fact]
    public async Task Publish_subscribe_unsubscribe_unpublish_round_trip()
    {
        var (id, room) = await NewRoomWithAliceAndBob();

        var stream = await room.PublishAsync(RoomTestData.Publish("alice", "mic", StreamKind.Audio, 77));
        var sub = await room.SubscribeAsync("bob", "mic");
        var again = await room.SubscribeAsync("bob", "mic");

        stream.Kind.Should().Be(StreamKind.Audio);
        stream.Codec.Should().Be("opus");
        stream.Ssrcs.Should().Equal(77u, 78u);
        stream.OriginSilo.Should().Be("silo-a");
        again.Should().Be(sub);
        (await Stream(id, "mic").GetAsync()).Should().Be(stream);
        (await Stream(id, "mic").GetSubscribersAsync()).Should().Equal(sub);
        (await Participant(id, "alice").GetPublishedAsync()).Should().Equal("mic");
        (await Participant(id, "bob").GetSubscriptionsAsync()).Should().Equal("mic");

        await room.UnsubscribeAsync("bob", "mic");
        (await Stream(id, "mic").GetSubscribersAsync()).Should().BeEmpty();
        (await Participant(id, "bob").GetSubscriptionsAsync()).Should().BeEmpty();

        await room.UnpublishAsync("mic");
        (await room.GetStreamsAsync()).Should().BeEmpty();
        (await Stream(id, "mic").GetAsync()).Should().BeNull();
        (await Participant(id, "alice").GetPublishedAsync()).Should().BeEmpty();
        await ShouldFail(() => room.UnpublishAsync("mic"), RoomErrorCode.NotFound);
    }

    [Fact]
    public async Task Subscribing_to_several_streams_at_once_commits_one_event_each_in_order_and_keeps_existing_ones()
    {
        var (id, room) = await NewRoomWithAliceAndBob();
        await room.PublishAsync(RoomTestData.Publish("alice", "mic", StreamKind.Audio, 77));
        await room.PublishAsync(RoomTestData.Publish("alice", "cam"));
        await room.PublishAsync(RoomTestData.Publish("alice", "screen"));
        var earlier = await room.SubscribeAsync("bob", "cam");
        long before = (await room.GetSnapshotAsync()).LastSequence;

        var subs = await room.SubscribeManyAsync("bob", ["mic", "cam", "screen"]);

        subs.Select(x => x.StreamId).Should().Equal("mic", "cam", "screen");
        subs[1].Should().Be(earlier, "an existing subscription is returned as it is");
        var log = (await room.GetEventsAsync(before, 100)).Events;
        log.Select(e => (e.Type, e.StreamId)).Should().Equal((RoomEventType.Subscribed, "mic"), (RoomEventType.Subscribed, "screen"));
        log.Select(e => e.Sequence).Should().Equal(before + 1, before + 2);
        log[1].Timestamp.Should().BeAfter(log[0].Timestamp);
        (await Participant(id, "bob").GetSubscriptionsAsync()).Should().BeEquivalentTo(["mic", "cam", "screen"]);
        (await Stream(id, "screen").GetSubscribersAsync()).Should().Equal(subs[2]);
        (await room.GetStateAtAsync(log[1].Timestamp)).Subscriptions.Should().BeEquivalentTo((await room.GetSnapshotAsync()).Subscriptions,
            "replaying the log gives the state the batch wrote");
    }

    [Fact]
    public async Task A_batch_subscription_with_an_unknown_stream_commits_nothing()
    {
        var (id, room) = await NewRoomWithAliceAndBob();
        await room.PublishAsync(RoomTestData.Publish("alice", "cam"));
        long before = (await room.GetSnapshotAsync()).LastSequence;

        await ShouldFail(() => room.SubscribeManyAsync("bob", ["cam", "nope"]), RoomErrorCode.NotFound);
        await ShouldFail(() => room.SubscribeManyAsync("ghost", ["cam"]), RoomErrorCode.NotFound);

        (await room.GetSnapshotAsync()).LastSequence.Should().Be(before);
        (await Participant(id, "bob").GetSubscriptionsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Unpublishing_ends_the_streams_subscriptions()
    {
        var (_, room) = await NewRoomWithAliceAndBob();
        await room.PublishAsync(RoomTestData.Publish("alice", "cam"));
        await room.SubscribeAsync("bob", "cam");

        await room.UnpublishAsync("cam");

        (await room.GetSnapshotAsync()).Subscriptions.Should().BeEmpty();
    }

    [Fact]
    public async Task Permissions_are_enforced()
    {
        var (_, room) = await NewRoom();
        await room.JoinAsync(RoomTestData.Join("viewer", ParticipantPermissions.Subscribe));
        await room.JoinAsync(RoomTestData.Join("camera", ParticipantPermissions.Publish));
        await room.PublishAsync(RoomTestData.Publish("camera", "cam"));

        await ShouldFail(() => room.PublishAsync(RoomTestData.Publish("viewer", "v")), RoomErrorCode.Forbidden);
        await ShouldFail(() => room.SubscribeAsync("camera", "cam"), RoomErrorCode.Forbidden);
        (await room.SubscribeAsync("viewer", "cam")).SubscriberIdentity.Should().Be("viewer");
    }

    [Fact]
    public async Task Max_participants_is_enforced()
    {
        var (_, room) = await NewRoom(new RoomOptions { MaxParticipants = 2 });
        await room.JoinAsync(RoomTestData.Join("a"));
        await room.JoinAsync(RoomTestData.Join("b"));

        await ShouldFail(() => room.JoinAsync(RoomTestData.Join("c")), RoomErrorCode.LimitReached);

        await room.LeaveAsync("a");
        (await room.JoinAsync(RoomTestData.Join("c"))).Identity.Should().Be("c");
    }

    [Fact]
    public async Task Max_publishers_counts_participants_with_a_stream_not_streams()
    {
        var (_, room) = await NewRoom(new RoomOptions { MaxPublishers = 1 });
        await room.JoinAsync(RoomTestData.Join("a"));
        await room.JoinAsync(RoomTestData.Join("b"));
        await room.PublishAsync(RoomTestData.Publish("a", "a-cam"));
        await room.PublishAsync(RoomTestData.Publish("a", "a-mic", StreamKind.Audio, 5));

        await ShouldFail(() => room.PublishAsync(RoomTestData.Publish("b", "b-cam")), RoomErrorCode.LimitReached);

        await room.UnpublishAsync("a-cam");
        await room.UnpublishAsync("a-mic");
        (await room.PublishAsync(RoomTestData.Publish("b", "b-cam"))).PublisherIdentity.Should().Be("b");
        (await room.GetAsync())!.PublisherCount.Should().Be(1);
    }

    [Fact]
    public async Task Duplicate_and_unknown_streams_and_absent_participants_are_refused()
    {
        var (_, room) = await NewRoom();
        await room.JoinAsync(RoomTestData.Join("a"));
        await room.PublishAsync(RoomTestData.Publish("a", "cam"));

        await ShouldFail(() => room.PublishAsync(RoomTestData.Publish("a", "cam")), RoomErrorCode.Conflict);
        await ShouldFail(() => room.SubscribeAsync("a", "nope"), RoomErrorCode.NotFound);
        await ShouldFail(() => room.PublishAsync(RoomTestData.Publish("ghost", "g")), RoomErrorCode.NotFound);
        await ShouldFail(() => room.SubscribeAsync("ghost", "cam"), RoomErrorCode.NotFound);
        await ShouldFail(() => room.PublishAsync(RoomTestData.Publish("a", "bad id")), RoomErrorCode.Invalid);
        await ShouldFail(() => room.PublishAsync(RoomTestData.Publish("a", "x") with { Codec = "" }), RoomErrorCode.Invalid);
        await ShouldFail(() => room.JoinAsync(RoomTestData.Join("b", (ParticipantPermissions)8)), RoomErrorCode.Invalid);
    }

    [Fact]
    public async Task Refused_operations_append_nothing()
    {
        var (id, room) = await NewRoom(new RoomOptions { MaxParticipants = 1 });
        await room.JoinAsync(RoomTestData.Join("a", ParticipantPermissions.Subscribe));
        long before = await fixture.EventStore.GetLastSequenceAsync(id);

        await ShouldFail(() => room.JoinAsync(RoomTestData.Join("b")), RoomErrorCode.LimitReached);
        await ShouldFail(() => room.PublishAsync(RoomTestData.Publish("a", "cam")), RoomErrorCode.Forbidden);
        await ShouldFail(() => room.KickAsync("zed", "x"), RoomErrorCode.NotFound);

        (await fixture.EventStore.GetLastSequenceAsync(id)).Should().Be(before);
        (await room.GetSnapshotAsync()).LastSequence.Should().Be(before);
    }

    [Fact]
    public async Task Events_page_through_the_log_with_a_cursor()
    {
        var (_, room) = await NewRoom();
        for (int i = 0; i < 7; i++)
            await room.JoinAsync(RoomTestData.Join($"p{i}"));

        var first = await room.GetEventsAsync(0, 3);
        var second = await room.GetEventsAsync(first.NextAfter!.Value, 3);
        var last = await room.GetEventsAsync(second.NextAfter!.Value, 3);

        first.Events.Select(e => e.Sequence).Should().Equal(1, 2, 3);
        second.Events.Select(e => e.Sequence).Should().Equal(4, 5, 6);
        last.Events.Select(e => e.Sequence).Should().Equal(7, 8);
        last.NextAfter.Should().BeNull();
        await ShouldFail(() => room.GetEventsAsync(-1, 3), RoomErrorCode.Invalid);
        await ShouldFail(() => room.GetEventsAsync(0, 0), RoomErrorCode.Invalid);
        await ShouldFail(() => room.GetEventsAsync(0, 100_000), RoomErrorCode.Invalid);
    }
}
