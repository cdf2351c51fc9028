using System.Collections.Concurrent;
using Grains.Interfaces.Signaling;
using Grains.Tests.Fixtures;

namespace Grains.Tests.Signaling;

/// <summary>
/// The gateway registry pushes reconnect requests straight to the gateways' observers, and still knows them
/// after its activation is lost (state in storage), as after the death of the silo it lived on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GatewayRegistryTests(ClusterFixture fixture)
{
    private static RoomNotification Reconnect(string room, string session) => new()
    {
        Type = RoomNotificationType.ReconnectRequested,
        RoomId = room,
        Timestamp = DateTimeOffset.UtcNow,
        Identity = "bob",
        SessionId = session,
        Resource = $"/whep/{room}/{session}",
        Reason = "media node lost",
    };

    [Fact]
    public async Task Registered_gateways_get_the_broadcast_also_after_the_registry_was_deactivated()
    {
        var registry = fixture.Grains.GetGrain<IGatewayRegistryGrain>("registry-" + Guid.NewGuid().ToString("N"));
        var first = new RecordingGateway();
        var second = new RecordingGateway();
        var firstRef = fixture.Grains.CreateObjectReference<IRoomNotificationObserver>(first);
        var secondRef = fixture.Grains.CreateObjectReference<IRoomNotificationObserver>(second);
        try
        {
            await registry.RegisterAsync("gw-1", firstRef);
            await registry.RegisterAsync("gw-2", secondRef);
            await registry.RegisterAsync("gw-1", firstRef); // a refresh changes nothing
            (await registry.GetGatewaysAsync()).Should().Equal("gw-1", "gw-2");

            (await registry.BroadcastAsync(Reconnect("room-a", "s1"))).Should().Be(2);
            first.Received.Select(n => n.SessionId).Should().Equal("s1");
            second.Received.Select(n => n.SessionId).Should().Equal("s1");

            await fixture.Cluster.DeactivateAsync(registry);
            (await registry.BroadcastAsync(Reconnect("room-a", "s2"))).Should().Be(2);
            first.Received.Select(n => n.SessionId).Should().Equal("s1", "s2");

            await registry.UnregisterAsync("gw-2");
            (await registry.GetGatewaysAsync()).Should().Equal("gw-1");
            (await registry.BroadcastAsync(Reconnect("room-b", "s3"))).Should().Be(1);
            second.Received.Should().HaveCount(2);
            first.Received.Last().Should().BeEquivalentTo(Reconnect("room-b", "s3"), o => o.Excluding(n => n.Timestamp));
        }
        finally
        {
            fixture.Grains.DeleteObjectReference<IRoomNotificationObserver>(firstRef);
            fixture.Grains.DeleteObjectReference<IRoomNotificationObserver>(secondRef);
        }
    }

    [Fact]
    public async Task A_gateway_that_is_gone_does_not_stop_the_broadcast_to_the_others()
    {
        var registry = fixture.Grains.GetGrain<IGatewayRegistryGrain>("registry-" + Guid.NewGuid().ToString("N"));
        var alive = new RecordingGateway();
        var aliveRef = fixture.Grains.CreateObjectReference<IRoomNotificationObserver>(alive);
        var goneRef = fixture.Grains.CreateObjectReference<IRoomNotificationObserver>(new RecordingGateway());
        await registry.RegisterAsync("alive", aliveRef);
        await registry.RegisterAsync("gone", goneRef);
        fixture.Grains.DeleteObjectReference<IRoomNotificationObserver>(goneRef);
        try
        {
            (await registry.BroadcastAsync(Reconnect("room-c", "s9"))).Should().Be(1);
            alive.Received.Select(n => n.SessionId).Should().Equal("s9");
        }
        finally
        {
            fixture.Grains.DeleteObjectReference<IRoomNotificationObserver>(aliveRef);
        }
    }

    private sealed class RecordingGateway : IRoomNotificationObserver
    {
        private readonly ConcurrentQueue<RoomNotification> _received = new();

        public IReadOnlyList<RoomNotification> Received => _received.ToArray();

        public Task NotifyAsync(RoomNotification notification)
        {
            _received.Enqueue(notification);
            return Task.CompletedTask;
        }
    }
}
