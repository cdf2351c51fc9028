using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Tests.Fixtures;
using Grains.Tests.Rooms;
using Grains.Tests.Signaling;
using Rtc.TestSupport;

namespace Grains.Tests.Convergence;

/// <summary>State left behind by crashes between steps is found and repaired; history reads do not hold up the room.</summary>
public sealed class ConvergenceTests(ConvergenceCluster cluster) : IClassFixture<ConvergenceCluster>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_session_open_on_the_node_that_no_grain_knows_is_closed_on_the_node()
    {
        // As if the gateway (or the session grain's silo) died between opening the session on the node and recording it.
        string sessionId = MediaCluster.NewSessionId();
        await cluster.Grains.GetGrain<IMediaNodeGrain>(cluster.Media.NodeId).OpenSessionAsync(MediaCluster.Spec(sessionId, []));
        cluster.Media.HasSession(sessionId).Should().BeTrue();

        await Poll.UntilAsync(() => Task.FromResult(cluster.Media.HasSession(sessionId)), open => !open, Within,
            "the orphan session closed on the node");
    }

    [Fact]
    public async Task A_recorded_session_the_node_does_not_have_is_closed_in_the_grains_and_the_room_log()
    {
        var room = cluster.Grains.GetGrain<IRoomGrain>(ClusterFixture.NewRoomId("ghost"));
        await room.CreateAsync(new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1) });
        await room.JoinAsync(RoomTestData.Join("alice"));
        string sessionId = MediaCluster.NewSessionId();
        string streamId = sessionId + "-0";
        await room.PublishAsync(RoomTestData.Publish("alice", streamId) with { OriginSilo = cluster.Media.NodeId });
        // Recorded, but never open on the node (or its close event was lost).
        var session = cluster.Grains.GetGrain<IClientSessionGrain>(sessionId);
        await session.RecordAsync(new ClientSessionInfo
        {
            SessionId = sessionId, RoomId = room.GetPrimaryKeyString(), Identity = "alice", Kind = ClientSessionKind.Publish,
            NodeId = cluster.Media.NodeId, StreamIds = [streamId], Status = ClientSessionStatus.Opening, CreatedAt = DateTimeOffset.UtcNow,
        });

        var closed = await Poll.UntilAsync(() => session.GetAsync(), s => s!.Status == ClientSessionStatus.Closed, Within, "the ghost session closed");
        closed!.CloseReason.Should().Be("not open on its media node");
        (await room.GetStreamsAsync()).Should().BeEmpty("its stream is unpublished in the log");
        (await room.GetParticipantsAsync()).Should().BeEmpty("and its participant, left with nothing, has left");
        (await cluster.Grains.GetGrain<IMediaNodeSessionsGrain>(cluster.Media.NodeId).GetAsync()).Should().NotContain(sessionId);
    }

    [Fact]
    public async Task A_view_update_that_fails_after_the_rooms_commit_does_not_fail_the_join_and_is_repaired()
    {
        var room = cluster.Grains.GetGrain<IRoomGrain>(ClusterFixture.NewRoomId("viewfail"));
        string roomId = room.GetPrimaryKeyString();
        await room.CreateAsync(new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1) });
        var view = cluster.Grains.GetGrain<Grains.Interfaces.Participants.IParticipantGrain>(RoomIds.ParticipantKey(roomId, "alice"));
        // The first two updates of alice's view fail: the one right after the commit and the first repair.
        cluster.FailingParticipantViews[RoomIds.ParticipantKey(roomId, "alice")] = 2;

        await room.JoinAsync(RoomTestData.Join("alice"));

        (await room.GetParticipantsAsync()).Should().ContainSingle(p => p.Identity == "alice", "the change is in the log although its view failed");
        (await view.GetAsync()).Should().BeNull("the view missed the update");
        // Repairs retry from the room's state (1 s, then 2 s): the view follows without another change to the room.
        var repaired = await Poll.UntilAsync(() => view.GetAsync(), p => p is not null, TimeSpan.FromSeconds(20), "the participant view repaired");
        repaired!.Identity.Should().Be("alice");
        cluster.FailingParticipantViews[RoomIds.ParticipantKey(roomId, "alice")].Should().Be(0, "both injected failures happened");
    }

    [Fact]
    public async Task A_replay_of_the_log_does_not_hold_up_a_join()
    {
        var room = cluster.Grains.GetGrain<IRoomGrain>(ClusterFixture.NewRoomId("replay"));
        string roomId = room.GetPrimaryKeyString();
        await room.CreateAsync(new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1) });
        await room.JoinAsync(RoomTestData.Join("alice"));
        var at = (await room.GetSnapshotAsync()).AsOf!.Value;

        // The replay's reads of the log are held: as long a replay as one wants.
        cluster.Store.Hold(roomId);
        try
        {
            var replay = room.GetStateAtAsync(at);
            await Poll.UntilAsync(() => Task.FromResult(cluster.Store.ReadsHeld.ContainsKey(roomId)), held => held, Within, "the replay reading the log");

            await room.JoinAsync(RoomTestData.Join("bob")).WaitAsync(TimeSpan.FromSeconds(5));

            replay.IsCompleted.Should().BeFalse("the replay is still reading while bob joined");
            cluster.Store.Release(roomId);
            (await replay).Participants.Select(p => p.Identity).Should().Equal("alice");
        }
        finally
        {
            cluster.Store.Release(roomId);
        }
        (await room.GetParticipantsAsync()).Select(p => p.Identity).Should().Equal("alice", "bob");
    }

    [Fact]
    public async Task Participant_and_stream_views_that_missed_updates_are_resynced_from_the_log_when_the_room_activates()
    {
        var room = cluster.Grains.GetGrain<IRoomGrain>(ClusterFixture.NewRoomId("views"));
        string roomId = room.GetPrimaryKeyString();
        await room.CreateAsync(new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1) });
        await room.JoinAsync(RoomTestData.Join("alice"));
        await room.JoinAsync(RoomTestData.Join("bob"));
        await room.PublishAsync(RoomTestData.Publish("alice", "alice-cam"));
        await room.SubscribeAsync("bob", "alice-cam");
        // Views that missed their updates (as after a crash between the room's commit and the view calls).
        var alice = cluster.Grains.GetGrain<Interfaces.Participants.IParticipantGrain>(RoomIds.ParticipantKey(roomId, "alice"));
        var bob = cluster.Grains.GetGrain<Interfaces.Participants.IParticipantGrain>(RoomIds.ParticipantKey(roomId, "bob"));
        var cam = cluster.Grains.GetGrain<IStreamGrain>(RoomIds.StreamKey(roomId, "alice-cam"));
        await alice.RemovePublishedAsync("alice-cam");
        await bob.LeaveAsync();
        await cam.UnpublishAsync();

        await cluster.Cluster.DeactivateAsync(room);
        await room.GetAsync();

        (await alice.GetPublishedAsync()).Should().Equal("alice-cam");
        (await bob.GetAsync()).Should().NotBeNull();
        (await bob.GetSubscriptionsAsync()).Should().Equal("alice-cam");
        (await cam.GetAsync())!.PublisherIdentity.Should().Be("alice");
        (await cam.GetSubscribersAsync()).Select(s => s.SubscriberIdentity).Should().Equal("bob");
    }

    [Fact]
    public async Task Closed_rooms_leave_the_directory_after_their_retention()
    {
        var directory = cluster.Grains.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key);
        var room = cluster.Grains.GetGrain<IRoomGrain>(ClusterFixture.NewRoomId("dir"));
        string roomId = room.GetPrimaryKeyString();
        await room.CreateAsync(RoomOptions.Default);
        await room.CloseAsync("done");
        (await directory.ListAsync(roomId[..^1], 10, includeClosed: true)).Should().Contain(roomId);

        await Poll.UntilAsync(async () =>
        {
            // Rooms registering is what prunes.
            await cluster.Grains.GetGrain<IRoomGrain>(ClusterFixture.NewRoomId("dir-other")).CreateAsync(RoomOptions.Default);
            return await directory.ListAsync(roomId[..^1], 10, includeClosed: true);
        }, rooms => !rooms.Contains(roomId), Within, "the closed room forgotten");
        (await room.GetAsync())!.Status.Should().Be(RoomStatus.Closed, "the room itself is still there");
    }
}
