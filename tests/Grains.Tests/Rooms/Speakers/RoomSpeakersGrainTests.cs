using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Tests.Fixtures;
using Rtc.TestSupport;

namespace Grains.Tests.Rooms.Speakers;

/// <summary>Audio levels reported to publishers' session grains reach their room's speaker grain, by identity.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomSpeakersGrainTests(ClusterFixture fixture)
{
    private async Task<IClientSessionGrain> PublisherAsync(string roomId, string identity, ClientSessionKind kind = ClientSessionKind.Publish)
    {
        string sessionId = $"{identity}-{Guid.NewGuid():N}";
        var session = fixture.Grains.GetGrain<IClientSessionGrain>(sessionId);
        await session.RecordAsync(new ClientSessionInfo
        {
            SessionId = sessionId, RoomId = roomId, Identity = identity, Kind = kind, NodeId = "node-1",
            StreamIds = [$"{sessionId}-0"], Status = ClientSessionStatus.Connected, CreatedAt = DateTimeOffset.UtcNow,
        });
        return session;
    }

    [Fact]
    public async Task The_louder_publisher_leads_the_rooms_speakers_and_subscribers_levels_are_ignored()
    {
        string roomId = ClusterFixture.NewRoomId("speakers");
        var alice = await PublisherAsync(roomId, "alice");
        var bob = await PublisherAsync(roomId, "bob");
        var carol = await PublisherAsync(roomId, "carol", ClientSessionKind.Subscribe);
        var speakers = fixture.Grains.GetGrain<IRoomSpeakersGrain>(roomId);

        await alice.ReportAudioLevelAsync("a-0", -40);
        await bob.ReportAudioLevelAsync("b-0", -15);
        await carol.ReportAudioLevelAsync("c-0", -5);

        var now = await Poll.UntilAsync(() => speakers.GetActiveSpeakersAsync(), s => s.Length == 2, TimeSpan.FromSeconds(10), "two speakers");
        now.Select(s => (s.Identity, s.LevelDbov)).Should().Equal(("bob", -15), ("alice", -40));
    }
}
