using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Api;
using Gateway.Auth;
using Grains;
using Grains.Interfaces.Signaling;
using Orleans.Runtime;

namespace Gateway.Tests;

/// <summary>GET /v1/rooms/{id}/events/ws: a real WebSocket client sees what the REST API does to the room.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RoomNotificationSocketTests(GatewayFixture gw)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_socket_sees_joined_published_unpublished_and_left_in_order()
    {
        string room = await gw.CreateRoomAsync(NewId("ws"));
        string watcher = GatewayFixture.Token(room, "watcher", Grants.Subscribe);
        string alice = GatewayFixture.Token(room, "alice", Grants.Publish);

        // Browsers cannot set headers on a WebSocket: a single-use ticket, bought with the token, rides in the query string.
        using var socket = await ConnectAsync($"/v1/rooms/{room}/events/ws?ticket={await TicketAsync(gw, room, watcher)}");
        var hello = await ReceiveAsync(socket);
        hello.Str("type").Should().Be("subscribed");
        hello.Str("roomId").Should().Be(room);
        long since = hello.GetProperty("sequence").GetInt64();

        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", alice)).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/streams", alice,
            new { kind = "video", codec = "VP8", ssrcs = new[] { 1111u }, streamId = "cam" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/streams/cam", alice)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/participants/alice", alice)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var messages = new List<JsonElement>();
        for (int i = 0; i < 4; i++)
            messages.Add(await ReceiveAsync(socket));
        messages.Select(m => m.Str("type")).Should().Equal("participantJoined", "trackPublished", "trackUnpublished", "participantLeft");
        messages.Should().AllSatisfy(m => m.Str("identity").Should().Be("alice"));
        messages[1].Str("streamId").Should().Be("cam");
        messages[1].Str("kind").Should().Be("video");
        messages[2].Str("streamId").Should().Be("cam");
        messages.Select(m => m.GetProperty("sequence").GetInt64()).Should().BeInAscendingOrder().And.OnlyContain(s => s > since);

        // The same sequences as the log.
        var log = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events?after={since}", watcher)).ShouldBeJsonAsync(HttpStatusCode.OK);
        log.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64())
            .Should().Equal(messages.Select(m => m.GetProperty("sequence").GetInt64()));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        socket.State.Should().Be(WebSocketState.Closed);
    }

    [Fact]
    public async Task A_bearer_header_works_and_room_close_is_pushed()
    {
        string room = await gw.CreateRoomAsync(NewId("ws"));
        using var socket = await ConnectAsync($"/v1/rooms/{room}/events/ws", GatewayFixture.AdminToken);
        (await ReceiveAsync(socket)).Str("type").Should().Be("subscribed");
        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}?reason=done", GatewayFixture.AdminToken)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var closed = await ReceiveAsync(socket);
        closed.Str("type").Should().Be("roomClosed");
        closed.Str("reason").Should().Be("done");
    }

    [Fact]
    public async Task A_socket_whose_stream_subscription_disappears_is_closed_with_1012_to_resync()
    {
        string room = await gw.CreateRoomAsync(NewId("ws"));
        using var socket = await ConnectAsync($"/v1/rooms/{room}/events/ws", GatewayFixture.AdminToken);
        (await ReceiveAsync(socket)).Str("type").Should().Be("subscribed");

        // What Orleans' pulling agent does to a consumer it could not reach: the subscription is removed behind the
        // socket's back. (The fixture's gateway shares the test's cluster client, so the handle is visible here.)
        var stream = ((IClusterClient)gw.Grains).GetStreamProvider(StorageNames.StreamProvider)
            .GetStream<RoomNotification>(StreamId.Create(RtcStreams.RoomNotify, room));
        var handles = await stream.GetAllSubscriptionHandles();
        handles.Should().ContainSingle();
        await handles[0].UnsubscribeAsync();

        using var timeout = new CancellationTokenSource(Wait);
        var result = await socket.ReceiveAsync(new byte[1024], timeout.Token);
        result.MessageType.Should().Be(WebSocketMessageType.Close);
        socket.CloseStatus.Should().Be(RoomNotificationSocket.ServiceRestart);
        socket.CloseStatusDescription.Should().Contain("resync");
    }

    [Fact]
    public async Task Refusals_are_problems_before_any_upgrade()
    {
        string room = await gw.CreateRoomAsync(NewId("ws"));
        string path = $"/v1/rooms/{room}/events/ws";
        var none = await (await gw.SendAsync(HttpMethod.Get, path, null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        none.Str("detail").Should().Contain("Missing");
        await (await gw.SendAsync(HttpMethod.Get, path + "?ticket=garbage", null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        string other = GatewayFixture.Token("elsewhere", "eve", Grants.Subscribe);
        await (await gw.SendAsync(HttpMethod.Post, path + "-ticket", other)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await gw.SendAsync(HttpMethod.Get, path, other)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        string member = GatewayFixture.Token(room, "bob", Grants.Subscribe);
        await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{NewId("none")}/events/ws", GatewayFixture.AdminToken)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        // A valid caller without the upgrade.
        await (await gw.SendAsync(HttpMethod.Get, path, member)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var refused = async () => await ConnectAsync(path, other);
        (await refused.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("403");
    }

    private Task<ClientWebSocket> ConnectAsync(string pathAndQuery, string? bearer = null) => RoomSockets.ConnectAsync(gw, pathAndQuery, bearer);

    private static Task<JsonElement> ReceiveAsync(ClientWebSocket socket) => RoomSockets.ReceiveAsync(socket);

    private static Task<string> TicketAsync(GatewayFixture gw, string room, string token) => RoomSockets.TicketAsync(gw, room, token);
}
