using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Auth;
using Gateway.Tests.WebRtc;
using Rtc.TestClient;
using Microsoft.Playwright;
using Xunit.Abstractions;
using MediaPlane.Contracts;

namespace Gateway.Tests.Browser;

/// <summary>
/// Moderation stops media: a Chromium publisher is kicked through the REST API while a Chromium viewer decodes
/// its video; the publisher's session ends on the node within a second, the viewer's decoded frames stop, and
/// the kicked identity's next WHIP offer is refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KickStopsMediaTests(SiloProcessFixture silo, ITestOutputHelper output)
{
    [Fact]
    public async Task A_kicked_publishers_frames_stop_arriving_at_its_viewer()
    {
        string room = "kick-" + Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = DemoPageTests.ChromiumArgs });
        var pages = new List<IPage>();
        try
        {
            var publisher = await DemoPage.OpenAsync(browser, silo, room, "alice", "publish", Grants.Publish);
            pages.Add(publisher);
            await UntilAsync(publisher, "publish", s => s.Ice is "connected" or "completed");
            var viewer = await DemoPage.OpenAsync(browser, silo, room, "bob", "subscribe", Grants.Subscribe);
            pages.Add(viewer);
            var flowing = await UntilAsync(viewer, "subscribe", s => s.FramesDecoded > 10);
            silo.MediaNode.SessionCount.Should().Be(2);

            using (var kick = new HttpRequestMessage(HttpMethod.Delete, $"/v1/rooms/{room}/participants/alice?reason=test"))
            {
                kick.Headers.Authorization = new AuthenticationHeaderValue("Bearer", silo.Token(room, "moderator", Grants.Admin));
                (await silo.Http.SendAsync(kick)).StatusCode.Should().Be(HttpStatusCode.NoContent);
            }
            var kickedAt = Stopwatch.StartNew();
            while (silo.MediaNode.SessionCount != 1 && kickedAt.Elapsed < TimeSpan.FromSeconds(5))
                await Task.Delay(10);
            var closedAfter = kickedAt.Elapsed;
            output.WriteLine($"publisher's session closed on the node {closedAfter.TotalMilliseconds:0} ms after the kick returned; viewer had {flowing.FramesDecoded} frames");
            closedAfter.Should().BeLessThan(TimeSpan.FromSeconds(1), "the kicked publisher's session ends on the node within a second");

            // Frames in flight and the jitter buffer drain; after that nothing more is decoded.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var settled = await DemoPageTests.StatsAsync(viewer, "subscribe");
            await Task.Delay(TimeSpan.FromSeconds(2));
            var later = await DemoPageTests.StatsAsync(viewer, "subscribe");
            output.WriteLine($"viewer frames: {flowing.FramesDecoded} before, {settled.FramesDecoded} 1.5 s after, {later.FramesDecoded} 3.5 s after");
            later.FramesDecoded.Should().Be(settled.FramesDecoded, "no frame of the kicked publisher arrives any more");

            (await PostOfferAsync(room, silo.Token(room, "alice", Grants.Publish))).Should().Be(HttpStatusCode.Forbidden, "a kicked identity cannot rejoin at once");
        }
        finally
        {
            await DemoPage.LeaveAsync(pages);
        }
    }

    private async Task<HttpStatusCode> PostOfferAsync(string room, string token)
    {
        string sdp = ClientOffer.Write("abcd", "0123456789abcdefghijklmn", MediaPlane.Dtls.DtlsCertificate.Generate().Fingerprint,
            [new OfferedTrack(MediaKind.Video, 0x2222)], publish: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/whip/{room}") { Content = new StringContent(sdp, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await silo.Http.SendAsync(request);
        output.WriteLine($"WHIP after the kick: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode;
    }

    private static async Task<DemoPageTests.PcStats> UntilAsync(IPage page, string which, Func<DemoPageTests.PcStats, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var stats = await DemoPageTests.StatsAsync(page, which);
            if (condition(stats))
                return stats;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{which}: ice={stats.Ice} frames={stats.FramesDecoded} errors=[{string.Join("; ", stats.Errors)}]");
            await Task.Delay(200);
        }
    }
}
