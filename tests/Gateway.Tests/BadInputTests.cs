using System.Net;
using Gateway.Auth;

namespace Gateway.Tests;

/// <summary>
/// Malformed, oversized, mistyped and unknown input for every endpoint: each gets the right problem
/// status, and the deployment's room list and the room's log and state are byte-identical afterwards.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BadInputTests(GatewayFixture gw)
{
    private static readonly string Admin = GatewayFixture.AdminToken;

    private async Task<string> RoomWithPublisherAsync()
    {
        string room = await gw.CreateRoomAsync("bad-" + Guid.NewGuid().ToString("N")[..10]);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", Admin, new { identity = "alice" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/streams", Admin, new { identity = "alice", kind = "audio", codec = "opus", ssrcs = new[] { 5u }, streamId = "mic" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        return room;
    }

    private async Task ExpectUnchangedAsync(string room, params (HttpMethod Method, string Path, string? Body, string ContentType, HttpStatusCode Status)[] cases)
    {
        string before = await gw.FingerprintAsync(room);
        foreach (var (method, path, body, contentType, status) in cases)
        {
            var response = await gw.SendAsync(method, path, Admin, rawBody: body, contentType: contentType);
            await response.ShouldBeProblemAsync(status);
        }
        (await gw.FingerprintAsync(room)).Should().Be(before);
    }

    private const string Json = "application/json";

    [Fact]
    public async Task Malformed_json_is_400_on_every_body_endpoint()
    {
        string room = await RoomWithPublisherAsync();
        string[] bodies = ["{", "not json", "[1,2]", "{\"roomId\":", "{\"maxParticipants\":\"five\"}", "{\"unknownField\":1}", "null", "\"text\""];
        var cases = new List<(HttpMethod, string, string?, string, HttpStatusCode)>();
        foreach (string body in bodies)
        {
            cases.Add((HttpMethod.Post, "/v1/rooms", body, Json, HttpStatusCode.BadRequest));
            cases.Add((HttpMethod.Post, $"/v1/rooms/{room}/participants", body, Json, HttpStatusCode.BadRequest));
            cases.Add((HttpMethod.Post, $"/v1/rooms/{room}/streams", body, Json, HttpStatusCode.BadRequest));
        }
        await ExpectUnchangedAsync(room, cases.ToArray());
    }

    [Fact]
    public async Task Bodies_over_64_KiB_are_413()
    {
        string room = await RoomWithPublisherAsync();
        string huge = "{\"metadata\":\"" + new string('x', 70 * 1024) + "\"}";
        await ExpectUnchangedAsync(room,
            (HttpMethod.Post, "/v1/rooms", huge, Json, HttpStatusCode.RequestEntityTooLarge),
            (HttpMethod.Post, $"/v1/rooms/{room}/participants", huge, Json, HttpStatusCode.RequestEntityTooLarge),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", huge, Json, HttpStatusCode.RequestEntityTooLarge));
    }

    [Fact]
    public async Task Chunked_bodies_over_the_limit_are_413_too()
    {
        string room = await RoomWithPublisherAsync();
        string before = await gw.FingerprintAsync(room);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/rooms/{room}/participants");
        request.Headers.Authorization = new("Bearer", Admin);
        // No Content-Length: the limit must hold while reading, not only from the header.
        var bytes = System.Text.Encoding.UTF8.GetBytes("{\"metadata\":\"" + new string('y', 200 * 1024) + "\"}");
        request.Content = new StreamContent(new MemoryStream(bytes));
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        await (await gw.Http.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await gw.FingerprintAsync(room)).Should().Be(before);
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        string room = await RoomWithPublisherAsync();
        await ExpectUnchangedAsync(room,
            (HttpMethod.Post, "/v1/rooms", "{\"roomId\":\"x1\"}", "text/plain", HttpStatusCode.UnsupportedMediaType),
            (HttpMethod.Post, "/v1/rooms", "roomId=x1", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType),
            (HttpMethod.Post, $"/v1/rooms/{room}/participants", "{}", "application/xml", HttpStatusCode.UnsupportedMediaType),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{}", "text/html", HttpStatusCode.UnsupportedMediaType));
    }

    [Fact]
    public async Task Invalid_ids_are_400_everywhere()
    {
        string room = await RoomWithPublisherAsync();
        const string bad = "bad%20id";           // decodes to "bad id": a space is not allowed
        string tooLong = new('a', 65);
        await ExpectUnchangedAsync(room,
            (HttpMethod.Post, "/v1/rooms", "{\"roomId\":\"has space\"}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/v1/rooms", $"{{\"roomId\":\"{tooLong}\"}}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/v1/rooms", "{\"roomId\":\"\"}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{bad}", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{tooLong}", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Delete, $"/v1/rooms/{bad}", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{bad}/participants", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{bad}/participants", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/participants", "{\"identity\":\"a/b\"}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Delete, $"/v1/rooms/{room}/participants/{bad}", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{\"identity\":\"alice\",\"kind\":\"audio\",\"codec\":\"opus\",\"ssrcs\":[1],\"streamId\":\"x y\"}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Delete, $"/v1/rooms/{room}/streams/{bad}", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams/{bad}/subscribers", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Delete, $"/v1/rooms/{room}/streams/{bad}/subscribers", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{bad}/events", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{bad}/state", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms?after={bad}", null, Json, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Out_of_range_values_are_400()
    {
        string room = await RoomWithPublisherAsync();
        string longMeta = new('m', 4097);
        await ExpectUnchangedAsync(room,
            (HttpMethod.Post, "/v1/rooms", "{\"maxParticipants\":-1}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/v1/rooms", "{\"maxPublishers\":-3}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/v1/rooms", "{\"emptyTimeoutSeconds\":-1}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/v1/rooms", "{\"emptyTimeoutSeconds\":99999999}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/v1/rooms", "{\"maxParticipants\":1e99}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/v1/rooms", $"{{\"metadata\":\"{longMeta}\"}}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/v1/rooms?limit=0", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/v1/rooms?limit=1001", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/v1/rooms?limit=ten", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, "/v1/rooms?includeClosed=maybe", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Delete, $"/v1/rooms/{room}?reason={new string('r', 257)}", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/participants", $"{{\"identity\":\"zed\",\"metadata\":\"{longMeta}\"}}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{\"identity\":\"alice\",\"kind\":\"smell\",\"codec\":\"opus\",\"ssrcs\":[1]}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{\"identity\":\"alice\",\"kind\":\"audio\",\"ssrcs\":[1]}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{\"identity\":\"alice\",\"kind\":\"audio\",\"codec\":\"op us\",\"ssrcs\":[1]}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{\"identity\":\"alice\",\"kind\":\"audio\",\"codec\":\"opus\",\"ssrcs\":[]}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{\"identity\":\"alice\",\"kind\":\"audio\",\"codec\":\"opus\",\"ssrcs\":[1,1]}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{\"identity\":\"alice\",\"kind\":\"audio\",\"codec\":\"opus\",\"ssrcs\":[-1]}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/v1/rooms/{room}/streams", "{\"identity\":\"alice\",\"kind\":\"audio\",\"codec\":\"opus\",\"ssrcs\":[4294967296]}", Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{room}/events?after=-1", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{room}/events?after=abc", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{room}/events?limit=0", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{room}/events?limit=100000", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{room}/state?at=yesterday", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{room}/state?at=01/02/2026", null, Json, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/v1/rooms/{room}/state?at=2026-13-45T99:00:00Z", null, Json, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Unknown_rooms_are_404_and_are_not_created()
    {
        string room = await RoomWithPublisherAsync();
        string ghost = "ghost-" + Guid.NewGuid().ToString("N")[..10];
        await ExpectUnchangedAsync(room,
            (HttpMethod.Get, $"/v1/rooms/{ghost}", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"/v1/rooms/{ghost}", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/v1/rooms/{ghost}/participants", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"/v1/rooms/{ghost}/participants", "{\"identity\":\"alice\"}", Json, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"/v1/rooms/{ghost}/participants/alice", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/v1/rooms/{ghost}/streams", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"/v1/rooms/{ghost}/streams", "{\"identity\":\"alice\",\"kind\":\"audio\",\"codec\":\"opus\",\"ssrcs\":[1]}", Json, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"/v1/rooms/{ghost}/streams/mic", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"/v1/rooms/{ghost}/streams/mic/subscribers", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"/v1/rooms/{ghost}/streams/mic/subscribers", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/v1/rooms/{ghost}/events", null, Json, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/v1/rooms/{ghost}/state", null, Json, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Subscribing_to_an_unknown_stream_is_404_and_changes_nothing()
    {
        string room = await RoomWithPublisherAsync();
        string bob = GatewayFixture.Token(room, "bob", Grants.Subscribe);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/participants", bob)).ShouldBeJsonAsync(HttpStatusCode.Created);
        string before = await gw.FingerprintAsync(room);
        await (await gw.SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/streams/nope/subscribers", bob)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        // Bob may not unpublish alice's stream.
        await (await gw.SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/streams/mic", GatewayFixture.Token(room, "bob", Grants.Publish))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await gw.FingerprintAsync(room)).Should().Be(before);
    }
}
