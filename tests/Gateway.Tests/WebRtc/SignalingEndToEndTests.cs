using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Auth;
using Grains.Interfaces.Media;
using Rtc.TestClient;
using Rtc.TestSupport;
using static Gateway.Tests.WebRtc.MediaTestSteps;
using MediaPlane.Contracts;

namespace Gateway.Tests.WebRtc;

/// <summary>
/// The real silo (gateway in process) with our C# client: a WHIP publisher's joins and tracks reach a
/// room WebSocket, the participant list shows its session on the node, and the media node's
/// media-state reports (connected, first RTP per track, counters) reach the session grain.
/// </summary>
public sealed class SignalingEndToEndTests(SiloProcessFixture silo) : IClassFixture<SiloProcessFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_whip_session_is_seen_on_the_room_socket_in_the_participant_list_and_in_media_state()
    {
        string room = "sig-" + Guid.NewGuid().ToString("N")[..8];
        string admin = silo.Token(room, "owner", Grants.Admin);
        using (var create = new HttpRequestMessage(HttpMethod.Post, "/v1/rooms") { Content = new StringContent($"{{\"roomId\":\"{room}\"}}", Encoding.UTF8, "application/json") })
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            (await silo.Http.SendAsync(create)).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + admin);
        await socket.ConnectAsync(new Uri(new Uri(silo.BaseAddress.ToString().Replace("http://", "ws://")), $"/v1/rooms/{room}/events/ws"), CancellationToken.None);
        (await ReceiveAsync(socket)).GetProperty("type").GetString().Should().Be("subscribed");

        await using var publisher = await WhipWhepClient.PublishAsync(silo.Http, room, silo.Token(room, "alice", Grants.Publish),
            [new OfferedTrack(MediaKind.Audio, 0x1111), new OfferedTrack(MediaKind.Video, 0x2222)]);
        string sessionId = publisher.Location!.ToString().Split('/')[^1];
        var joined = new List<JsonElement>();
        for (int i = 0; i < 3; i++)
            joined.Add(await ReceiveAsync(socket));
        joined.Select(m => m.GetProperty("type").GetString()).Should().Equal("participantJoined", "trackPublished", "trackPublished");
        joined.Select(m => m.GetProperty("kind").ValueKind == JsonValueKind.String ? m.GetProperty("kind").GetString() : null).Skip(1).Should().BeEquivalentTo(["audio", "video"]);

        // The participant list names the session, its node and the node's region.
        var node = (await silo.Grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).GetLiveNodesAsync()).Single();
        using (var list = new HttpRequestMessage(HttpMethod.Get, $"/v1/rooms/{room}/participants"))
        {
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var response = await silo.Http.SendAsync(list);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var session = body.GetProperty("participants").EnumerateArray().Single().GetProperty("sessions").EnumerateArray().Single();
            session.GetProperty("sessionId").GetString().Should().Be(sessionId);
            session.GetProperty("kind").GetString().Should().Be("publish");
            session.GetProperty("nodeId").GetString().Should().Be(node.NodeId);
            session.GetProperty("region").GetString().Should().Be(node.Region);
        }

        // Media state over the stream: connected, then each track's first RTP, then counters.
        var grain = silo.Grains.GetGrain<IClientSessionGrain>(sessionId);
        await Poll.UntilAsync(async () => (await grain.GetAsync())!.Status == ClientSessionStatus.Connected, Wait);
        for (ushort seq = 0; seq < 50; seq++)
        {
            publisher.Transport.SendRtp(RtpPacket(0x1111, 111, seq, 160));
            publisher.Transport.SendRtp(RtpPacket(0x2222, 96, seq, 900));
            if (seq % 10 == 9)
                await Task.Delay(5);
        }
        await Poll.UntilAsync(async () => (await grain.GetMediaStateAsync()).LiveTracks.Length == 2, Wait);
        await Poll.UntilAsync(async () => (await grain.GetMediaStateAsync()).Stats is { Packets: > 0 }, Wait);
        var stats = (await grain.GetMediaStateAsync()).Stats!;
        stats.Octets.Should().BeGreaterThan(stats.Packets * 12);

        (await publisher.DeleteAsync()).Should().Be(200);
        var left = new List<string?>();
        for (int i = 0; i < 3; i++)
            left.Add((await ReceiveAsync(socket)).GetProperty("type").GetString());
        left.Should().Equal("trackUnpublished", "trackUnpublished", "participantLeft");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[8192];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        result.EndOfMessage.Should().BeTrue();
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }
}
