using Gateway.Auth;
using Gateway.Tests.Browser;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Cluster;

/// <summary>
/// Two Debian chromium pages, told apart by the region of their address (X-Forwarded-For from the trusted
/// proxy): the publisher lands on the eu silo through one gateway, the viewer on the us silo through the
/// other, and the viewer decodes the publisher's camera and microphone relayed from eu to us.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CrossRegionBrowserTests(ClusterProcessFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task A_publisher_in_eu_and_a_viewer_in_us_see_each_other_across_two_silos()
    {
        string room = "xregion-" + Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = DemoPageTests.ChromiumArgs,
        });
        var console = new List<string>();
        var pages = new List<IPage>();
        try
        {
            var publisher = await OpenAsync(browser, cluster.Gateways[0], "10.1.0.9", room, "alice", "publish", Grants.Publish, console);
            pages.Add(publisher);
            await UntilAsync(publisher, "publish", s => s.Ice is "connected" or "completed", console);
            var viewer = await OpenAsync(browser, cluster.Gateways[1], "10.2.0.9", room, "bob", "subscribe", Grants.Subscribe, console);
            pages.Add(viewer);

            var first = await UntilAsync(viewer, "subscribe", s => s.FramesDecoded > 0 && s.AudioPackets > 0, console);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var later = await DemoPageTests.StatsAsync(viewer, "subscribe");
            later.FramesDecoded.Should().BeGreaterThan(first.FramesDecoded, "decoded video frames keep increasing across the relay");
            later.AudioPackets.Should().BeGreaterThan(first.AudioPackets);

            // Each page's selected candidate pair ends on the media port of its own region's silo.
            var sent = await DemoPageTests.StatsAsync(publisher, "publish");
            output.WriteLine($"publisher -> {sent.RemoteAddress}:{sent.RemotePort}, viewer -> {later.RemoteAddress}:{later.RemotePort}, frames {later.FramesDecoded}, audio {later.AudioPackets}");
            sent.RemotePort.Should().Be(cluster.MediaPort("eu"), "the eu address publishes on the eu silo");
            later.RemotePort.Should().Be(cluster.MediaPort("us"), "the us address watches on the us silo");
        }
        finally
        {
            foreach (var page in pages)
            {
                try { await page.EvaluateAsync("() => window.rtcDemo.stop()"); }
                catch (PlaywrightException) { }
            }
        }
    }

    private static async Task<IPage> OpenAsync(IBrowser browser, Uri gateway, string clientAddress, string room, string identity, string mode,
        Grants grants, List<string> console)
    {
        var context = await browser.NewContextAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = clientAddress } });
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { lock (console) console.Add($"{identity}: {m.Text}"); };
        page.PageError += (_, e) => { lock (console) console.Add($"{identity}: page error {e}"); };
        string token = ClusterProcessFixture.Token(room, identity, grants);
        await page.GotoAsync(new Uri(gateway, $"/#room={room}&token={token}&mode={mode}").ToString());
        return page;
    }

    private async Task<DemoPageTests.PcStats> UntilAsync(IPage page, string which, Func<DemoPageTests.PcStats, bool> condition, List<string> console)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            var stats = await DemoPageTests.StatsAsync(page, which);
            if (condition(stats))
                return stats;
            if (DateTime.UtcNow > deadline || stats.Errors.Count > 0)
            {
                string[] log;
                lock (console) log = [.. console];
                throw new TimeoutException($"{which}: ice={stats.Ice} connection={stats.Connection} pairs=[{string.Join(",", stats.Pairs)}] " +
                    $"frames={stats.FramesDecoded} audio={stats.AudioPackets} errors=[{string.Join("; ", stats.Errors)}]; console:\n{string.Join("\n", log)}\n{cluster.LogTail()}");
            }
            await Task.Delay(200);
        }
    }
}
