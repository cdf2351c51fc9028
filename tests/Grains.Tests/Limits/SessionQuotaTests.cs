using Grains.Interfaces.Limits;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Media;
using Grains.Signaling;
using Grains.Tests.Fixtures;
using Grains.Tests.Moderation;
using Grains.Tests.Signaling;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Tests.Limits;

/// <summary>Session quotas per room, participant and client address, and the media node's bound on sessions still connecting.</summary>
public sealed class SessionQuotaTests(ModerationCluster cluster) : IClassFixture<ModerationCluster>
{
    private static string NewAddress() => $"198.51.100.{Random.Shared.Next(1, 255)}-{Guid.NewGuid():N}"[..40];

    [Fact]
    public async Task The_client_address_limit_counts_across_rooms_and_a_release_frees_a_place()
    {
        var limits = new SessionLimits(PerParticipant: 0, PerRoom: 0, PerClientAddress: 2);
        string address = NewAddress();
        var roomA = cluster.Grains.GetGrain<IRoomSessionQuotaGrain>(ClusterFixture.NewRoomId("qa"));
        var roomB = cluster.Grains.GetGrain<IRoomSessionQuotaGrain>(ClusterFixture.NewRoomId("qb"));
        await roomA.AdmitAsync("s1", "alice", address, limits);
        await roomA.AdmitAsync("s2", "bob", address, limits);

        var refused = await FluentActions.Awaiting(() => roomB.AdmitAsync("s3", "carol", address, limits)).Should().ThrowAsync<RoomException>();
        refused.Which.Code.Should().Be(RoomErrorCode.LimitReached);
        refused.Which.Message.Should().Contain("Limits:SessionsPerClientAddress");
        await roomB.AdmitAsync("s4", "carol", NewAddress(), limits);
        (await roomB.CountAsync()).Should().Be(1, "a refused admission is not counted");

        await roomA.ReleaseAsync("s1");
        await MediaCluster.EventuallyAsync(async () => { await roomB.AdmitAsync("s3", "carol", address, limits); return true; }, ok => ok,
            TimeSpan.FromSeconds(5), "the released place is free again");
    }

    [Fact]
    public async Task Participant_and_room_limits_refuse_the_session_past_them()
    {
        var limits = new SessionLimits(PerParticipant: 2, PerRoom: 3, PerClientAddress: 0);
        var room = cluster.Grains.GetGrain<IRoomSessionQuotaGrain>(ClusterFixture.NewRoomId("qr"));
        await room.AdmitAsync("a1", "alice", null, limits);
        await room.AdmitAsync("a2", "alice", null, limits);
        (await FluentActions.Awaiting(() => room.AdmitAsync("a3", "alice", null, limits)).Should().ThrowAsync<RoomException>())
            .Which.Message.Should().Contain("Limits:SessionsPerParticipant");
        await room.AdmitAsync("b1", "bob", null, limits);
        (await FluentActions.Awaiting(() => room.AdmitAsync("c1", "carol", null, limits)).Should().ThrowAsync<RoomException>())
            .Which.Message.Should().Contain("Limits:SessionsPerRoom");
        await room.AdmitAsync("a2", "alice", null, limits); // admitting the same session again is idempotent
        await room.ReleaseAsync("b1");
        await MediaCluster.EventuallyAsync(async () => { await room.AdmitAsync("c1", "carol", null, limits); return true; }, ok => ok,
            TimeSpan.FromSeconds(5), "the released place is free again");
    }

    [Fact]
    public async Task A_closing_session_releases_its_place()
    {
        var room = await cluster.NewRoomAsync("qclose");
        string roomId = room.GetPrimaryKeyString();
        await room.JoinAsync(Rooms.RoomTestData.Join("alice"));
        string sessionId = await cluster.OpenAsync(roomId, "alice", ClientSessionKind.Subscribe);
        var quota = cluster.Grains.GetGrain<IRoomSessionQuotaGrain>(roomId);
        await quota.AdmitAsync(sessionId, "alice", null, new SessionLimits(1, 0, 0));
        (await quota.CountAsync()).Should().Be(1);

        await cluster.Grains.GetGrain<IClientSessionGrain>(sessionId).CloseAsync("done", closedByNode: false);

        await MediaCluster.EventuallyAsync(() => quota.CountAsync(), n => n == 0, TimeSpan.FromSeconds(5), "the quota released");
    }

    [Fact]
    public async Task A_node_refuses_sessions_past_its_limit_of_unconnected_ones()
    {
        using var data = new TempDirectory("rtc-unconnected");
        await using var limited = MediaCluster.Create(1, data.Path, (_, silo) =>
        {
            silo.AddRtcMemoryStreams(StorageNames.StreamProvider);
            silo.Services.Configure<MediaNodeOptions>(o => o.UnconnectedSessionsLimit = 3);
        }).Build();
        await limited.DeployAsync();
        var media = limited.Silos[0].ServiceProvider.GetRequiredService<MediaNodeService>();
        var node = limited.Client.GetGrain<IMediaNodeGrain>(media.NodeId);
        var open = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            string id = MediaCluster.NewSessionId();
            await node.OpenSessionAsync(MediaCluster.Spec(id, []));
            open.Add(id);
        }

        (await FluentActions.Awaiting(() => node.OpenSessionAsync(MediaCluster.Spec(MediaCluster.NewSessionId(), []))).Should().ThrowAsync<MediaNodeException>())
            .Which.Message.Should().Contain("Limits:UnconnectedSessionsPerNode");
        (await node.CloseSessionAsync(open[0])).Should().BeTrue();
        await node.OpenSessionAsync(MediaCluster.Spec(MediaCluster.NewSessionId(), []));
    }
}
