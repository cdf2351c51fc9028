using System.Net;
using System.Text.Json;
using Gateway.Auth;

namespace Gateway.Tests;

/// <summary>Happy paths of every /v1 endpoint, in the order a real session uses them.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RoomApiTests(GatewayFixture gw)
{
    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Create_get_list_and_close_a_room()
    {
        string room = NewId("happy");
        var created = await gw.SendAsync(HttpMethod.Post, "/v1/rooms", GatewayFixture.AdminToken,
            new { roomId = room, maxParticipants = 5, maxPublishers = 2, emptyTimeoutSeconds = 600, metadata = "m" });
        var body = await created.ShouldBeJsonAsync(HttpStatusCode.Created);
        created.Headers.Location!.ToString().Should().Be($"/v1/rooms/{room}");
        body.Str("roomId").Should().Be(room);
        body.Str("status").Should().Be("open");
        body.GetProperty("options").GetProperty("maxParticipants").GetInt32().Should().Be(5);
        body.GetProperty("options").GetProperty("maxPublishers").GetInt32().Should().Be(2);
        body.GetProperty("options").GetProperty("emptyTimeoutSeconds").GetInt32().Should().Be(600);
        body.GetProperty("options").Str("metadata").Should().Be("m");

        // Same options again: idempotent, 200 with the same room.
        var again = await gw.SendAsync(HttpMethod.Post, "/v1/rooms", GatewayFixture.AdminToken,
            new { roomId = room, maxParticipants = 5, maxPublishers = 2, emptyTimeoutSeconds = 600, metadata = "m" });
        (await again.ShouldBeJsonAsync(HttpStatusCode.OK)).Str("roomId").Should().Be(room);

        var got = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}", GatewayFixture.AdminToken)).ShouldBeJsonAsync(HttpStatusCode.OK);
        got.Str("status").Should().Be("open");

        var list = await (await gw.SendAsync(HttpMethod.Get, "/v1/rooms?limit=1000", GatewayFixture.AdminToken)).ShouldBeJsonAsync(HttpStatusCode.OK);
        list.GetProperty("rooms").EnumerateArray().Select(r => r.Str("roomId")).Should().Contain(room);

        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}?reason=done", GatewayFixture.AdminToken)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var closed = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}", GatewayFixture.AdminToken)).ShouldBeJsonAsync(HttpStatusCode.OK);
        closed.Str("status").Should().Be("closed");

        var open = await (await gw.SendAsync(HttpMethod.Get, "/v1/rooms?limit=1000", GatewayFixture.AdminToken)).ShouldBeJsonAsync(HttpStatusCode.OK);
        open.GetProperty("rooms").EnumerateArray().Select(r => r.Str("roomId")).Should().NotContain(room);
        var all = await (await gw.SendAsync(HttpMethod.Get, "/v1/rooms?limit=1000&includeClosed=true", GatewayFixture.AdminToken)).ShouldBeJsonAsync(HttpStatusCode.OK);
        all.GetProperty("rooms").EnumerateArray().Select(r => r.Str("roomId")).Should().Contain(room);
    }

    [Fact]
    public async Task Create_without_id_generates_one_or_uses_the_tokens_room()
    {
        var generated = await (await gw.SendAsync(HttpMethod.Post, "/v1/rooms", GatewayFixture.AdminToken)).ShouldBeJsonAsync(HttpStatusCode.Created);
        generated.Str("roomId").Should().StartWith("room-");

        string room = NewId("scoped");
        var scoped = await (await gw.SendAsync(HttpMethod.Post, "/v1/rooms", GatewayFixture.Token(room, "owner", Grants.Admin), new { }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        scoped.Str("roomId").Should().Be(room);

        // An admin of one room lists that room only.
        var list = await (await gw.SendAsync(HttpMethod.Get, "/v1/rooms", GatewayFixture.Token(room, "owner", Grants.Admin))).ShouldBeJsonAsync(HttpStatusCode.OK);
        list.GetProperty("rooms").EnumerateArray().Select(r => r.Str("roomId")).Should().Equal(room);
    }

    [Fact]
    public async Task Listing_pages_with_a_cursor()
    {
        string prefix = NewId("page");
        for (int i = 0; i < 5; i++)
            await gw.CreateRoomAsync($"{prefix}-{i}");

        var seen = new List<string>();
        string? after = null;
        int pages = 0;
        do
        {
            string query = after is null ? "?limit=2" : $"?limit=2&after={after}";
            var page = await (await gw.SendAsync(HttpMethod.Get, "/v1/rooms" + query, GatewayFixture.AdminToken)).ShouldBeJsonAsync(HttpStatusCode.OK);
            var ids = page.GetProperty("rooms").EnumerateArray().Select(r => r.Str("roomId")).ToList();
            ids.Count.Should().BeLessThanOrEqualTo(2);
            seen.AddRange(ids);
            after = page.TryGetProperty("nextAfter", out var next) ? next.GetString() : null;
            pages++;
        } while (after is not null && pages < 10_000);

        seen.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(StringComparer.Ordinal);
        seen.Should().Contain(Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}"));
    }

    [Fact]
    public async Task Join_publish_subscribe_unsubscribe_unpublish_leave_kick()
    {
        string room = await gw.CreateRoomAsync(NewId("flow"));
        string alice = GatewayFixture.Token(room, "alice", Grants.Publish | Grants.Subscribe);
        string bob = GatewayFixture.Token(room, "bob", Grants.Subscribe);
        string admin = GatewayFixture.Token(room, "owner", Grants.Admin);

        var joined = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", alice, new { metadata = "hi" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        joined.Str("identity").Should().Be("alice");
        joined.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).Should().Equal("publish", "subscribe");
        joined.Str("metadata").Should().Be("hi");
        var bobJoined = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", bob)).ShouldBeJsonAsync(HttpStatusCode.Created);
        bobJoined.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).Should().Equal("subscribe");
        // An admin joins someone else by name with chosen permissions.
        var carol = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", admin, new { identity = "carol", publish = false, subscribe = true }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        carol.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).Should().Equal("subscribe");

        var participants = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/participants", bob)).ShouldBeJsonAsync(HttpStatusCode.OK);
        participants.GetProperty("participants").EnumerateArray().Select(p => p.Str("identity")).Should().BeEquivalentTo(["alice", "bob", "carol"]);

        var stream = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/streams", alice,
            new { kind = "video", codec = "VP8", ssrcs = new[] { 1111u, 2222u }, streamId = "cam" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        stream.Str("streamId").Should().Be("cam");
        stream.Str("publisherIdentity").Should().Be("alice");
        stream.Str("kind").Should().Be("video");
        stream.GetProperty("ssrcs").EnumerateArray().Select(s => s.GetUInt32()).Should().Equal(1111u, 2222u);
        var generated = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/streams", alice,
            new { kind = "audio", codec = "opus", ssrcs = new[] { 3333u } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        generated.Str("streamId").Should().StartWith("stream-");

        var streams = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/streams", bob)).ShouldBeJsonAsync(HttpStatusCode.OK);
        streams.GetProperty("streams").GetArrayLength().Should().Be(2);

        var sub = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/streams/cam/subscribers", bob)).ShouldBeJsonAsync(HttpStatusCode.Created);
        sub.Str("subscriberIdentity").Should().Be("bob");
        sub.Str("streamId").Should().Be("cam");

        var live = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/state", bob)).ShouldBeJsonAsync(HttpStatusCode.OK);
        live.GetProperty("subscriptions").EnumerateArray().Select(s => s.Str("subscriberIdentity")).Should().Equal("bob");

        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/streams/cam/subscribers", bob)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/streams/cam", alice)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/streams/{generated.Str("streamId")}", admin)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/participants/bob", bob)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/participants/alice?reason=spam", admin)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var events = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events", admin)).ShouldBeJsonAsync(HttpStatusCode.OK);
        events.GetProperty("events").EnumerateArray().Select(e => e.Str("type")).Should().Equal(
            "created", "joined", "joined", "joined", "published", "published", "subscribed", "unsubscribed",
            "unpublished", "unpublished", "left", "kicked");
        var kicked = events.GetProperty("events").EnumerateArray().Last();
        kicked.Str("identity").Should().Be("alice");
        kicked.Str("reason").Should().Be("spam");

        var final = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/participants", admin)).ShouldBeJsonAsync(HttpStatusCode.OK);
        final.GetProperty("participants").EnumerateArray().Select(p => p.Str("identity")).Should().Equal("carol");
    }

    [Fact]
    public async Task Events_page_with_nextAfter_and_state_replays_past_moments()
    {
        string room = await gw.CreateRoomAsync(NewId("hist"));
        string admin = GatewayFixture.Token(room, "owner", Grants.Admin);
        var moments = new List<(DateTimeOffset At, string State)>();
        foreach (string who in new[] { "p1", "p2", "p3", "p4" })
        {
            await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", admin, new { identity = who })).ShouldBeJsonAsync(HttpStatusCode.Created);
            var live = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/state", admin)).ShouldBeJsonAsync(HttpStatusCode.OK);
            moments.Add((live.GetProperty("asOf").GetDateTimeOffset(), live.GetRawText()));
        }

        // Page through the 5 events two at a time.
        var sequences = new List<long>();
        long? after = 0;
        while (after is not null)
        {
            var page = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/events?after={after}&limit=2", admin)).ShouldBeJsonAsync(HttpStatusCode.OK);
            page.Str("roomId").Should().Be(room);
            var events = page.GetProperty("events").EnumerateArray().ToList();
            events.Count.Should().BeInRange(1, 2);
            sequences.AddRange(events.Select(e => e.GetProperty("sequence").GetInt64()));
            after = page.TryGetProperty("nextAfter", out var next) && next.ValueKind == JsonValueKind.Number ? next.GetInt64() : null;
        }
        sequences.Should().Equal(1, 2, 3, 4, 5);

        // The state rebuilt from the log at each moment equals the live state seen then.
        foreach (var (at, state) in moments)
        {
            string iso = Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz"));
            var replayed = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/state?at={iso}", admin)).ShouldBeJsonAsync(HttpStatusCode.OK);
            replayed.GetRawText().Should().Be(state);
        }
        var beforeAll = await (await gw.SendAsync(HttpMethod.Get, $"/v1/rooms/{room}/state?at=2000-01-01T00:00:00Z", admin)).ShouldBeJsonAsync(HttpStatusCode.OK);
        beforeAll.GetProperty("lastSequence").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task Grain_refusals_map_to_409_and_404_problems()
    {
        string room = NewId("limits");
        await (await gw.SendAsync(HttpMethod.Post, "/v1/rooms", GatewayFixture.AdminToken, new { roomId = room, maxParticipants = 1 }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        string admin = GatewayFixture.Token(room, "owner", Grants.Admin);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", admin, new { identity = "one" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        string before = await gw.FingerprintAsync(room);

        var full = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", admin, new { identity = "two" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        full.Str("code").Should().Be("limitReached");
        var other = await (await gw.SendAsync(HttpMethod.Post, "/v1/rooms", admin, new { roomId = room, maxParticipants = 7 })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        other.Str("code").Should().Be("conflict");
        var again = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", admin, new { identity = "one" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        again.Str("code").Should().Be("conflict");
        await (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/streams/nope", admin)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/participants/nobody", admin)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await gw.FingerprintAsync(room)).Should().Be(before);

        (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}", admin)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        string closedBefore = await gw.FingerprintAsync(room);
        var closed = await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", admin, new { identity = "late" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        closed.Str("code").Should().Be("closed");
        (await gw.FingerprintAsync(room)).Should().Be(closedBefore);
    }
}
