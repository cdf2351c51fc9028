using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Auth;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Rtp;
using Rtc.TestSupport;

using static Gateway.Tests.WebRtc.MediaTestSteps;

namespace Gateway.Tests.WebRtc;

/// <summary>Our own C# WebRTC client against a real silo: WHIP in, WHEP out, one UDP port, DELETE frees everything.</summary>
public sealed class WhipWhepTests(SiloProcessFixture silo) : IClassFixture<SiloProcessFixture>, IAsyncLifetime
{
    // Whatever a test opened is closed after it, pass or fail, so no session leaks into the next test.
    private readonly List<WhipWhepClient> _opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _opened)
            await client.DisposeAsync();
    }

    private static readonly OfferedTrack[] AudioAndVideo = [new(MediaKind.Audio, 0x1111), new(MediaKind.Video, 0x2222)];

    [Fact]
    public async Task A_publisher_reaches_two_subscribers_through_one_port_and_delete_frees_every_session()
    {
        string room = "whip-" + Guid.NewGuid().ToString("N")[..8];
        await using var publisher = await WhipWhepClient.PublishAsync(silo.Http, room, silo.Token(room, "alice", Grants.Publish), AudioAndVideo);
        var viewers = new List<WhipWhepClient>();
        var received = new List<ConcurrentDictionary<uint, int>>();
        foreach (var name in new[] { "bob", "carol" })
        {
            var viewer = await WhipWhepClient.SubscribeAsync(silo.Http, room, silo.Token(room, name, Grants.Subscribe), [MediaKind.Audio, MediaKind.Video]);
            _opened.Add(viewer);
            var counts = new ConcurrentDictionary<uint, int>();
            viewer.Transport.OnRtp = p => { if (RtpPacketReader.TryParse(p, out var r, out _)) counts.AddOrUpdate(r.Ssrc, 1, (_, n) => n + 1); };
            viewers.Add(viewer);
            received.Add(counts);
        }

        // Paced like real media (UDP on a loaded CI machine drops bursts); a lost packet or two is not a failure here.
        for (ushort seq = 0; seq < 100; seq++)
        {
            publisher.Transport.SendRtp(RtpPacket(0x1111, 111, seq, 160));
            publisher.Transport.SendRtp(RtpPacket(0x2222, 96, seq, 900));
            if (seq % 10 == 9)
                await Task.Delay(5);
        }
        await Poll.UntilAsync(() => received.All(r => r.Values.Sum() >= 190 && r.Count == 2), TimeSpan.FromSeconds(15));

        // Every client reached the same node port, the one its answer named.
        new[] { publisher }.Concat(viewers).Select(c => c.Answer.Candidate.Port).Distinct().Should().ContainSingle().Which.Should().Be(silo.MediaNode.Port);
        foreach (var (viewer, counts) in viewers.Zip(received))
        {
            var announced = viewer.Answer.Sections.SelectMany(s => s.Ssrcs).ToHashSet();
            counts.Keys.Should().OnlyContain(ssrc => announced.Contains(ssrc), "media arrives on the SSRCs the answer announced");
            counts.Values.Should().OnlyContain(n => n >= 90);
        }
        var participants = await silo.Grains.GetGrain<IRoomGrain>(room).GetParticipantsAsync();
        participants.Select(p => p.Identity).Should().BeEquivalentTo(["alice", "bob", "carol"]);
        (await silo.Grains.GetGrain<IRoomGrain>(room).GetStreamsAsync()).Should().HaveCount(2);

        foreach (var viewer in viewers)
            await viewer.DisposeAsync();
        await publisher.DisposeAsync();

        await Poll.UntilAsync(() => silo.MediaNode.SessionCount == 0, TimeSpan.FromSeconds(15));
        (await silo.Grains.GetGrain<IRoomGrain>(room).GetStreamsAsync()).Should().BeEmpty();
        (await silo.Grains.GetGrain<IRoomGrain>(room).GetParticipantsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Offers_without_a_fingerprint_or_codec_in_common_are_refused_and_allocate_nothing()
    {
        string room = "bad-" + Guid.NewGuid().ToString("N")[..8];
        string token = silo.Token(room, "mallory", Grants.Publish);
        int sessionsBefore = silo.MediaNode.SessionCount;
        var good = ClientOffer.Write("abcd", "0123456789abcdefghijklmn", MediaPlane.Dtls.DtlsCertificate.Generate().Fingerprint, AudioAndVideo, publish: true);
        var noFingerprint = string.Join("\r\n", good.Split("\r\n").Where(l => !l.StartsWith("a=fingerprint")));
        var noCommonCodec = good.Replace("opus/48000/2", "G722/8000").Replace("VP8/90000", "H263/90000");

        (await Post(room, token, noFingerprint)).Should().Be(HttpStatusCode.BadRequest);
        (await Post(room, token, noCommonCodec)).Should().Be(HttpStatusCode.NotAcceptable);
        (await Post(room, token, "v=0\r\nthis is not sdp\r\n")).Should().Be(HttpStatusCode.BadRequest);
        (await Post(room, token, good, contentType: "text/plain")).Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await Post(room, silo.Token(room, "mallory", Grants.Subscribe), good)).Should().Be(HttpStatusCode.Forbidden);

        silo.MediaNode.SessionCount.Should().Be(sessionsBefore);
        (await silo.Grains.GetGrain<IRoomGrain>(room).GetAsync()).Should().BeNull("a refused offer creates no room");
    }

    [Fact]
    public async Task Delete_by_someone_else_is_forbidden_and_unknown_sessions_are_404()
    {
        string room = "del-" + Guid.NewGuid().ToString("N")[..8];
        await using var publisher = await WhipWhepClient.PublishAsync(silo.Http, room, silo.Token(room, "alice", Grants.Publish), AudioAndVideo);

        using var foreign = new HttpRequestMessage(HttpMethod.Delete, publisher.Location);
        foreign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", silo.Token(room, "eve", Grants.Publish));
        (await silo.Http.SendAsync(foreign)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var unknown = new HttpRequestMessage(HttpMethod.Delete, $"/whip/{room}/0123456789abcdef01234567");
        unknown.Headers.Authorization = new AuthenticationHeaderValue("Bearer", silo.Token(room, "alice", Grants.Publish));
        (await silo.Http.SendAsync(unknown)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await publisher.DeleteAsync()).Should().Be(200);
    }

    private async Task<HttpStatusCode> Post(string room, string token, string sdp, string contentType = "application/sdp")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/whip/{room}") { Content = new StringContent(sdp, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await silo.Http.SendAsync(request);
        if ((int)response.StatusCode >= 400)
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        return response.StatusCode;
    }
}
