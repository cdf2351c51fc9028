using Grains.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Tests.Fixtures;
using Grains.Tests.Rooms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Silo.Hosting;
using Rtc.TestCluster;

namespace Grains.Tests.Restart;

/// <summary>
/// A real silo process on each storage profile builds up rooms and history, is killed with SIGKILL, and a
/// new silo on the same store finds the rooms, their complete logs, their replayable past and every
/// grain's state.
/// </summary>
[Collection(RestartCollection.Name)]
public sealed class SiloRestartTests
{
    [Fact]
    public Task Embedded_sqlite_survives_a_kill() => RunAsync(ClusterProvider.Embedded, "", checkCli: true);

    [Fact]
    public Task Azure_storage_on_azurite_survives_a_kill() => RunAsync(ClusterProvider.AzureStorage, TestServers.Azurite, checkCli: true);

    [Fact]
    public Task Postgresql_survives_a_kill() => RunAsync(ClusterProvider.PostgreSql, TestServers.Postgres, checkCli: false);

    private static async Task RunAsync(ClusterProvider provider, string connectionString, bool checkCli)
    {
        using var dir = new TempDirectory("rtc-restart");
        var profile = new SiloProfileUnderTest(provider, connectionString, Path.Combine(dir.Path, "data"));
        string historyRoom = $"hist-{Guid.NewGuid():N}"[..20];
        string liveRoom = $"live-{Guid.NewGuid():N}"[..20];

        List<RoomSnapshot> seen;
        RoomSnapshot liveBefore;
        await using (var silo = await SiloProcess.StartAsync(profile.Environment(), dir.Path))
        {
            using var client = await profile.ConnectClientAsync();
            var grains = client.Services.GetRequiredService<IGrainFactory>();
            seen = await ReplayTests.RunHistoryAsync(grains.GetGrain<IRoomGrain>(historyRoom));
            var live = grains.GetGrain<IRoomGrain>(liveRoom);
            await live.CreateAsync(new RoomOptions { MaxParticipants = 8, EmptyTimeout = TimeSpan.FromHours(1) });
            await live.JoinAsync(RoomTestData.Join("alice"));
            await live.JoinAsync(RoomTestData.Join("bob", ParticipantPermissions.Subscribe));
            await live.PublishAsync(RoomTestData.Publish("alice", "cam"));
            await live.SubscribeAsync("bob", "cam");
            liveBefore = await live.GetSnapshotAsync();
            await client.StopAsync();
            await silo.KillAsync();
        }

        profile.NextIncarnation();
        await using (var silo = await SiloProcess.StartAsync(profile.Environment(), dir.Path))
        {
            using var client = await profile.ConnectClientAsync();
            var grains = client.Services.GetRequiredService<IGrainFactory>();
            var history = grains.GetGrain<IRoomGrain>(historyRoom);
            var live = grains.GetGrain<IRoomGrain>(liveRoom);

            var listed = await grains.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).ListAsync("", 1000, includeClosed: true);
            listed.Should().Contain([historyRoom, liveRoom]);
            (await history.GetAsync())!.Status.Should().Be(RoomStatus.Closed);

            var log = await history.GetEventsAsync(0, 1000);
            log.Events.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i));
            foreach (var then in seen)
                (await history.GetStateAtAsync(then.AsOf!.Value)).Should().Be(then);

            (await live.GetSnapshotAsync()).Should().Be(liveBefore);
            (await grains.GetGrain<IStreamGrain>(RoomIds.StreamKey(liveRoom, "cam")).GetSubscribersAsync())
                .Select(s => s.SubscriberIdentity).Should().Equal("bob");
            (await grains.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(liveRoom, "alice")).GetPublishedAsync()).Should().Equal("cam");
            await live.JoinAsync(RoomTestData.Join("carol"));
            (await live.GetSnapshotAsync()).LastSequence.Should().Be(liveBefore.LastSequence + 1);
            await client.StopAsync();
            await silo.KillAsync();
        }

        if (checkCli)
        {
            var env = profile.Environment();
            string replayed = await SiloProcess.RunCommandAsync(env, dir.Path, "replay", "--room", historyRoom, "--at", seen[9].AsOf!.Value.ToString("O"));
            replayed.Trim().Should().Be(RoomEventJson.SerializeIndented(seen[9]));
            string events = await SiloProcess.RunCommandAsync(env, dir.Path, "events", "--room", historyRoom, "--after", "3", "--limit", "2");
            events.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => RoomEventJson.Deserialize(l).Sequence).Should().Equal(4, 5);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RestartCollection
{
    public const string Name = "restart";
}
