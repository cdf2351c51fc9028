using System.Net;
using System.Net.WebSockets;
using Gateway.Api;
using Gateway.Auth;
using Microsoft.Extensions.Options;

namespace Gateway.Tests;

/// <summary>
/// Issue 20 item 7: a room WebSocket ends with its rights. Tokens stay out of URLs (single-use tickets instead),
/// the socket closes when the token expires or its identity is kicked, and one identity holds a bounded number.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RoomSocketRightsTests(GatewayFixture gw)
{
    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_ticket_opens_one_socket_of_its_own_room_once_and_tokens_in_urls_are_refused()
    {
        string room = await gw.CreateRoomAsync(NewId("tk"));
        string otherRoom = await gw.CreateRoomAsync(NewId("tk"));
        string bob = GatewayFixture.Token(room, "bob", Grants.Subscribe);
        var issued = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/events/ws-ticket", bob)).ShouldBeJsonAsync(HttpStatusCode.OK);
        string ticket = issued.Str("ticket");
        issued.GetProperty("expiresAt").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow.AddSeconds(30), TimeSpan.FromSeconds(15));

        // Another room's socket does not take it, and that attempt does not use it up.
        var elsewhere = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{otherRoom}/events/ws?ticket={ticket}", null))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        elsewhere.Str("detail").Should().Contain("another room");

        using (var socket = await RoomSockets.ConnectAsync(gw, $"/v1/rooms/{room}/events/ws?ticket={ticket}"))
            (await RoomSockets.ReceiveAsync(socket)).Str("type").Should().Be("subscribed");
        var again = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events/ws?ticket={ticket}", null))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        again.Str("detail").Should().Contain("already used");

        // A ticket is no bearer token, and a token in the query string is not read at all.
        await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events", ticket)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var inUrl = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events/ws?access_token={bob}", null))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        inUrl.Str("detail").Should().Contain("ticket");
        // A bearer token is no ticket either.
        await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events/ws?ticket={bob}", null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_ticket_expires_after_its_lifetime()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var tickets = new RoomSocketTickets(Options.Create(GatewayFixture.Keys), Options.Create(new RoomNotificationSocketOptions()), clock);
        var caller = new Caller("bob", "r1", Grants.Subscribe) { ExpiresAt = clock.GetUtcNow().AddMinutes(10) };
        var (ticket, expiresAt) = tickets.Issue(caller, "r1");
        expiresAt.Should().Be(clock.GetUtcNow().AddSeconds(30));
        clock.Now = clock.Now.AddSeconds(40);
        (await tickets.RedeemAsync(ticket, "r1")).Error.Should().Contain("expired");

        // Never past the token's own expiry, and the socket's rights end with the token's.
        var shortLived = caller with { ExpiresAt = clock.GetUtcNow().AddSeconds(5) };
        var (second, secondExpiry) = tickets.Issue(shortLived, "r1");
        secondExpiry.Should().Be(shortLived.ExpiresAt!.Value);
        var redeemed = await tickets.RedeemAsync(second, "r1");
        redeemed.Caller!.ExpiresAt.Should().BeCloseTo(shortLived.ExpiresAt.Value, TimeSpan.FromSeconds(1));
        redeemed.Caller.Identity.Should().Be("bob");
    }

    [Fact]
    public async Task A_socket_closes_when_its_token_expires()
    {
        string room = await gw.CreateRoomAsync(NewId("exp"));
        string shortToken = GatewayFixture.Token(room, "carol", Grants.Subscribe, TimeSpan.FromSeconds(4));
        using var socket = await RoomSockets.ConnectAsync(gw, $"/v1/rooms/{room}/events/ws?ticket={await RoomSockets.TicketAsync(gw, room, shortToken)}");
        (await RoomSockets.ReceiveAsync(socket)).Str("type").Should().Be("subscribed");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await socket.ReceiveAsync(new byte[1024], timeout.Token);
        result.MessageType.Should().Be(WebSocketMessageType.Close);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        socket.CloseStatusDescription.Should().Contain("expired");
    }

    [Fact]
    public async Task A_kicked_participants_socket_closes_and_the_others_stay_open()
    {
        string room = await gw.CreateRoomAsync(NewId("kick"));
        string bob = GatewayFixture.Token(room, "bob", Grants.Subscribe);
        string watcher = GatewayFixture.Token(room, "watcher", Grants.Subscribe);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", bob)).ShouldBeJsonAsync(HttpStatusCode.Created);
        using var bobSocket = await RoomSockets.ConnectAsync(gw, $"/v1/rooms/{room}/events/ws", bob);
        using var watching = await RoomSockets.ConnectAsync(gw, $"/v1/rooms/{room}/events/ws", watcher);
        (await RoomSockets.ReceiveAsync(bobSocket)).Str("type").Should().Be("subscribed");
        (await RoomSockets.ReceiveAsync(watching)).Str("type").Should().Be("subscribed");

        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/participants/bob?reason=spam", GatewayFixture.AdminToken))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);

        // bob's own join may still arrive first (it was logged just before the socket subscribed).
        var left = await ReceiveTypeAsync(bobSocket, "participantLeft");
        left.Str("reason").Should().Be("spam");
        using var timeout = new CancellationTokenSource(RoomSockets.Wait);
        (await bobSocket.ReceiveAsync(new byte[1024], timeout.Token)).MessageType.Should().Be(WebSocketMessageType.Close);
        bobSocket.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        bobSocket.CloseStatusDescription.Should().Contain("kicked");

        // The watcher saw the kick and still receives the room's news.
        (await ReceiveTypeAsync(watching, "participantLeft")).Str("identity").Should().Be("bob");
        string alice = GatewayFixture.Token(room, "alice", Grants.Publish);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", alice)).ShouldBeJsonAsync(HttpStatusCode.Created);
        (await RoomSockets.ReceiveAsync(watching)).Str("identity").Should().Be("alice");
        watching.State.Should().Be(WebSocketState.Open);
    }

    [Fact]
    public async Task One_identity_holds_a_bounded_number_of_sockets()
    {
        string room = await gw.CreateRoomAsync(NewId("cap"));
        string dave = GatewayFixture.Token(room, "dave-" + Guid.NewGuid().ToString("N")[..6], Grants.Subscribe);
        int max = new RoomNotificationSocketOptions().MaxSocketsPerIdentity;
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (int i = 0; i < max; i++)
            {
                sockets.Add(await RoomSockets.ConnectAsync(gw, $"/v1/rooms/{room}/events/ws", dave));
                (await RoomSockets.ReceiveAsync(sockets[^1])).Str("type").Should().Be("subscribed");
            }
            var refused = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events/ws", dave)).ShouldBeProblemAsync((HttpStatusCode)429);
            refused.Str("detail").Should().Contain("MaxSocketsPerIdentity");
            var overLimit = async () => await RoomSockets.ConnectAsync(gw, $"/v1/rooms/{room}/events/ws", dave);
            (await overLimit.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("429");

            // Another identity is not affected, and a closed socket frees its slot.
            using (var other = await RoomSockets.ConnectAsync(gw, $"/v1/rooms/{room}/events/ws", GatewayFixture.Token(room, "erin", Grants.Subscribe)))
                (await RoomSockets.ReceiveAsync(other)).Str("type").Should().Be("subscribed");
            await sockets[0].CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            sockets[0].Dispose();
            sockets.RemoveAt(0);
            await Until(async () =>
            {
                var response = await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events/ws", dave);
                return response.StatusCode == HttpStatusCode.BadRequest; // past the cap check: only the upgrade is missing
            });
        }
        finally
        {
            foreach (var s in sockets)
                s.Dispose();
        }
    }

    private static async Task<System.Text.Json.JsonElement> ReceiveTypeAsync(ClientWebSocket socket, string type)
    {
        for (int i = 0; i < 10; i++)
        {
            var message = await RoomSockets.ReceiveAsync(socket);
            if (message.Str("type") == type)
                return message;
        }
        throw new InvalidOperationException($"no {type} in 10 messages");
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold within 15 s");
            await Task.Delay(100);
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
