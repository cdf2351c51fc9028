using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Auth;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Rtp;
using Rtc.TestSupport;

using static Gateway.Tests.WebRtc.MediaTestSteps;

namespace Gateway.Tests.WebRtc;

/// <summary>WHIP/WHEP ICE restart (RFC 9725 §4.3.2) through the gateway against a real silo.</summary>
public sealed class IceRestartTests(SiloProcessFixture silo) : IClassFixture<SiloProcessFixture>
{
    private static readonly OfferedTrack[] AudioAndVideo = [new(MediaKind.Audio, 0x1111), new(MediaKind.Video, 0x2222)];

    [Fact]
    public async Task Publisher_and_subscriber_restart_ice_and_media_keeps_flowing()
    {
        string room = "restart-" + Guid.NewGuid().ToString("N")[..8];
        await using var publisher = await WhipWhepClient.PublishAsync(silo.Http, room, silo.Token(room, "alice", Grants.Publish), AudioAndVideo);
        await using var viewer = await WhipWhepClient.SubscribeAsync(silo.Http, room, silo.Token(room, "bob", Grants.Subscribe), [MediaKind.Audio, MediaKind.Video]);
        var received = new ConcurrentQueue<ushort>();
        viewer.Transport.OnRtp = p => { if (RtpPacketReader.TryParse(p, out var r, out _) && r.PayloadType != 111) received.Enqueue(r.SequenceNumber); };
        await SendVideoAsync(publisher, 0, 20);
        await Poll.UntilAsync(() => received.Count >= 15, TimeSpan.FromSeconds(15));

        string? publisherTag = publisher.ETag;
        publisherTag.Should().NotBeNullOrEmpty("the POST returned an entity tag");
        await publisher.RestartIceAsync();
        publisher.ETag.Should().NotBeNullOrEmpty().And.NotBe(publisherTag, "a restart makes a new ICE session, with a new tag");
        await viewer.RestartIceAsync();

        int before = received.Count;
        await SendVideoAsync(publisher, 20, 40);
        await Poll.UntilAsync(() => received.Count >= before + 15, TimeSpan.FromSeconds(15));
        silo.MediaNode.SessionCount.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Restart_without_if_match_is_428_malformed_is_400_and_a_stale_tag_is_412()
    {
        string room = "restart-" + Guid.NewGuid().ToString("N")[..8];
        string token = silo.Token(room, "alice", Grants.Publish);
        await using var publisher = await WhipWhepClient.PublishAsync(silo.Http, room, token, AudioAndVideo);
        const string fragment = "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijklmn\r\n";

        (await Patch(publisher.Location!, token, fragment, ifMatch: null)).Should().Be(HttpStatusCode.PreconditionRequired);
        (await Patch(publisher.Location!, token, "a=ice-ufrag:ab\r\na=ice-pwd:short\r\n", ifMatch: "*")).Should().Be(HttpStatusCode.BadRequest);
        (await Patch(publisher.Location!, token, fragment, ifMatch: "\"not-the-tag\"")).Should().Be(HttpStatusCode.PreconditionFailed);
        // Plain trickle ICE with the current tag is still accepted (and ignored: ICE-lite learns addresses from checks).
        (await Patch(publisher.Location!, token, "a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n", ifMatch: publisher.ETag)).Should().Be(HttpStatusCode.NoContent);
    }

    private async Task<HttpStatusCode> Patch(Uri location, string token, string body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/trickle-ice-sdpfrag");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await silo.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task SendVideoAsync(WhipWhepClient publisher, int from, int to)
    {
        for (int seq = from; seq < to; seq++)
        {
            publisher.Transport.SendRtp(RtpPacket(0x2222, 96, (ushort)seq, 900));
            await Task.Delay(5);
        }
    }
}
