using Grains.Interfaces.Media;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Tests.Rooms;
using Rtc.TestSupport;

namespace Grains.Tests.Moderation;

/// <summary>Kicking, unpublishing and closing a room stop the media on the node, not only the room's records.</summary>
public sealed class ModerationTests(ModerationCluster cluster) : IClassFixture<ModerationCluster>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Kick_closes_every_session_of_the_participant_on_the_node_within_a_second()
    {
        var room = await cluster.NewRoomAsync("kick");
        string roomId = room.GetPrimaryKeyString();
        await room.JoinAsync(RoomTestData.Join("alice"));
        await room.JoinAsync(RoomTestData.Join("bob"));
        await room.PublishAsync(RoomTestData.Publish("alice", "alice-cam"));
        await room.SubscribeAsync("bob", "alice-cam");
        string alicePublishes = await cluster.OpenAsync(roomId, "alice", ClientSessionKind.Publish, "alice-cam");
        string bobSubscribes = await cluster.OpenAsync(roomId, "bob", ClientSessionKind.Subscribe, "alice-cam");
        await room.PublishAsync(RoomTestData.Publish("bob", "bob-cam", ssrc: 3000));
        await room.SubscribeAsync("alice", "bob-cam");
        string aliceSubscribes = await cluster.OpenAsync(roomId, "alice", ClientSessionKind.Subscribe, "bob-cam");

        await room.KickAsync("alice", "spam");

        await cluster.ClosedOnNodeWithinAsync(alicePublishes, Second);
        await cluster.ClosedOnNodeWithinAsync(aliceSubscribes, Second);
        // The node closes first; the grain records the close once it has undone the rest.
        (await Poll.UntilAsync(() => cluster.Grains.GetGrain<IClientSessionGrain>(alicePublishes).GetAsync(),
            s => s!.Status == ClientSessionStatus.Closed, TimeSpan.FromSeconds(10), "the session grain closed"))!.CloseReason.Should().Be("kicked: spam");
        cluster.Media.HasSession(bobSubscribes).Should().BeTrue("only the kicked participant's sessions end");
    }

    [Fact]
    public async Task A_kicked_identity_cannot_rejoin_until_an_admin_lets_it_in_or_lifts_the_ban()
    {
        var room = await cluster.NewRoomAsync("ban");
        await room.JoinAsync(RoomTestData.Join("mallory"));
        await room.KickAsync("mallory", "abuse");

        var refused = await FluentActions.Awaiting(() => room.JoinAsync(RoomTestData.Join("mallory"))).Should().ThrowAsync<RoomException>();
        refused.Which.Code.Should().Be(RoomErrorCode.Forbidden);
        refused.Which.Message.Should().Contain("kicked");
        (await room.GetSnapshotAsync()).Bans.Should().ContainSingle(b => b.Identity == "mallory");

        // An admin's join is let in; kicked again, an explicit un-ban lets the identity in.
        await room.JoinAsync(RoomTestData.Join("mallory") with { OverrideBan = true });
        await room.KickAsync("mallory", "again");
        await room.UnbanAsync("mallory");
        await room.JoinAsync(RoomTestData.Join("mallory"));
        (await room.GetSnapshotAsync()).Bans.Should().BeEmpty();
    }

    [Fact]
    public async Task A_session_recorded_just_after_its_participant_was_kicked_is_closed()
    {
        var room = await cluster.NewRoomAsync("kickrace");
        string roomId = room.GetPrimaryKeyString();
        await room.JoinAsync(RoomTestData.Join("mallory"));
        await room.PublishAsync(RoomTestData.Publish("mallory", "mallory-cam"));
        // The kick commits between the join (above) and the session's record (below), as when a WHIP open is in flight:
        // the kick's search for sessions finds none, so only the record itself can notice.
        await room.KickAsync("mallory", "spam");

        string late = await cluster.OpenAsync(roomId, "mallory", ClientSessionKind.Publish, "mallory-cam");

        await cluster.ClosedOnNodeWithinAsync(late, Second);
        (await cluster.Grains.GetGrain<IClientSessionGrain>(late).GetAsync())!.Status.Should().Be(ClientSessionStatus.Closed);
        (await cluster.Grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(roomId, "mallory")).GetSessionsAsync()).Should().NotContain(late);
    }

    [Fact]
    public async Task The_ban_lasts_the_rooms_kick_ban_time()
    {
        var room = await cluster.NewRoomAsync("banexp", new RoomOptions { EmptyTimeout = TimeSpan.FromHours(1), KickBan = TimeSpan.FromSeconds(1) });
        await room.JoinAsync(RoomTestData.Join("carol"));
        await room.KickAsync("carol", "cool down");
        await FluentActions.Awaiting(() => room.JoinAsync(RoomTestData.Join("carol"))).Should().ThrowAsync<RoomException>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await Task.Delay(200);
            try
            {
                await room.JoinAsync(RoomTestData.Join("carol"));
                break;
            }
            catch (RoomException e) when (e.Code == RoomErrorCode.Forbidden && DateTime.UtcNow < deadline)
            {
            }
        }
        (await room.GetParticipantsAsync()).Should().Contain(p => p.Identity == "carol");
    }

    [Fact]
    public async Task Unpublishing_a_stream_closes_the_session_that_publishes_it()
    {
        var room = await cluster.NewRoomAsync("unpub");
        string roomId = room.GetPrimaryKeyString();
        await room.JoinAsync(RoomTestData.Join("alice"));
        await room.PublishAsync(RoomTestData.Publish("alice", "alice-cam"));
        await room.PublishAsync(RoomTestData.Publish("alice", "alice-screen", ssrc: 5000));
        string cam = await cluster.OpenAsync(roomId, "alice", ClientSessionKind.Publish, "alice-cam");
        string screen = await cluster.OpenAsync(roomId, "alice", ClientSessionKind.Publish, "alice-screen");

        await room.UnpublishAsync("alice-cam");

        await cluster.ClosedOnNodeWithinAsync(cam, Second);
        cluster.Media.HasSession(screen).Should().BeTrue("the participant's other session publishes another stream");
    }

    [Fact]
    public async Task Unpublishing_a_stream_closes_the_viewers_sessions_on_it_and_only_those()
    {
        var room = await cluster.NewRoomAsync("unpubview");
        string roomId = room.GetPrimaryKeyString();
        await room.JoinAsync(RoomTestData.Join("alice"));
        await room.JoinAsync(RoomTestData.Join("bob", ParticipantPermissions.Subscribe));
        await room.PublishAsync(RoomTestData.Publish("alice", "alice-cam"));
        await room.PublishAsync(RoomTestData.Publish("alice", "alice-screen", ssrc: 5000));
        await room.SubscribeAsync("bob", "alice-cam");
        await room.SubscribeAsync("bob", "alice-screen");
        string cam = await cluster.OpenAsync(roomId, "alice", ClientSessionKind.Publish, "alice-cam");
        string viewsCam = await cluster.OpenAsync(roomId, "bob", ClientSessionKind.Subscribe, "alice-cam");
        string viewsScreen = await cluster.OpenAsync(roomId, "bob", ClientSessionKind.Subscribe, "alice-screen");

        await room.UnpublishAsync("alice-cam");

        await cluster.ClosedOnNodeWithinAsync(cam, Second);
        await cluster.ClosedOnNodeWithinAsync(viewsCam, Second);
        (await Poll.UntilAsync(() => cluster.Grains.GetGrain<IClientSessionGrain>(viewsCam).GetAsync(),
            s => s!.Status == ClientSessionStatus.Closed, TimeSpan.FromSeconds(10), "the viewer's session grain closed"))!.CloseReason.Should().Be("stream unpublished");
        cluster.Media.HasSession(viewsScreen).Should().BeTrue("the viewer's session on another stream stays");
    }

    [Fact]
    public async Task Closing_the_room_closes_every_session_in_it()
    {
        var room = await cluster.NewRoomAsync("close");
        string roomId = room.GetPrimaryKeyString();
        await room.JoinAsync(RoomTestData.Join("alice"));
        await room.JoinAsync(RoomTestData.Join("bob", ParticipantPermissions.Subscribe));
        await room.PublishAsync(RoomTestData.Publish("alice", "alice-cam"));
        await room.SubscribeAsync("bob", "alice-cam");
        string publishes = await cluster.OpenAsync(roomId, "alice", ClientSessionKind.Publish, "alice-cam");
        string subscribes = await cluster.OpenAsync(roomId, "bob", ClientSessionKind.Subscribe, "alice-cam");

        await room.CloseAsync("over");

        await cluster.ClosedOnNodeWithinAsync(publishes, Second);
        await cluster.ClosedOnNodeWithinAsync(subscribes, Second);
        await Poll.UntilAsync(() => cluster.Grains.GetGrain<IClientSessionGrain>(subscribes).GetAsync(),
            s => s!.Status == ClientSessionStatus.Closed, TimeSpan.FromSeconds(10), "the session grain closed");
    }
}
