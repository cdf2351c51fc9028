using System.Net;
using System.Text.Json;
using Gateway.Auth;
using Gateway.Tests.WebRtc;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Browser;

/// <summary>
/// The demo page in Debian's headless chromium against a real silo: one page publishes its fake camera and
/// microphone over WHIP, two pages watch over WHEP, all through the silo's one UDP port.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoPageTests(SiloProcessFixture silo, ITestOutputHelper output)
{
    internal const string Chromium = "/usr/bin/chromium";

    internal static readonly string[] ChromiumArgs =
    [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    // Reads one peer connection's stats: inbound video frames and audio packets, and the selected pair's ends.
    internal const string StatsScript = """
        async (which) => {
          const d = window.rtcDemo;
          const pc = which === "publish" ? d.publishPc : d.subscribePcs[0];
          const out = { ice: pc ? pc.iceConnectionState : "none", connection: pc ? pc.connectionState : "none",
                        framesDecoded: 0, audioPackets: 0, pairs: [], errors: d.errors, subscribePcs: d.subscribePcs.length };
          if (!pc) return JSON.stringify(out);
          const stats = await pc.getStats();
          stats.forEach(s => {
            if (s.type === "inbound-rtp" && s.kind === "video") out.framesDecoded += s.framesDecoded || 0;
            if (s.type === "inbound-rtp" && s.kind === "audio") out.audioPackets += s.packetsReceived || 0;
            if (s.type === "candidate-pair") out.pairs.push(s.state + (s.nominated ? "*" : ""));
            if (s.type === "transport" && s.selectedCandidatePairId) {
              const pair = stats.get(s.selectedCandidatePairId);
              const local = stats.get(pair.localCandidateId), remote = stats.get(pair.remoteCandidateId);
              Object.assign(out, { localAddress: local.address, localPort: local.port, remoteAddress: remote.address, remotePort: remote.port });
            }
          });
          return JSON.stringify(out);
        }
        """;

    [Fact]
    public async Task The_demo_page_is_served_at_the_root()
    {
        using var response = await silo.Http.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        string html = await response.Content.ReadAsStringAsync();
        // The page is its markup and the scripts it loads (Gateway/Demo).
        html.Should().Contain("/meeting/meeting.js").And.Contain("/meeting/tiles.js");
        string page = html + await silo.Http.GetStringAsync("/meeting/meeting.js") + await silo.Http.GetStringAsync("/meeting/tiles.js");
        page.Should().Contain("window.rtcDemo").And.Contain("/whip/").And.Contain("/whep/");
    }

    [Fact]
    public async Task Chromium_publishes_to_two_chromium_viewers_through_one_udp_port_and_leaving_frees_every_session()
    {
        string room = "browser-" + Guid.NewGuid().ToString("N")[..8];
        int self = Environment.ProcessId;
        // UDP ports this process held before any client came (other tests' leftovers too, if any).
        var portsBefore = (await UdpSocketTable.ReadAsync()).Sockets.Where(s => s.Owners.Any(o => o.Pid == self)).Select(s => s.LocalPort).ToHashSet();
        long rtpBefore = silo.MediaNode.Counters.RtpReceived;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        var console = new List<string>();
        var pages = new List<IPage>();
        try
        {
            var publisher = await DemoPage.OpenAsync(browser, silo, room, "alice", "publish", Grants.Publish, console);
            pages.Add(publisher);
            await Until(publisher, "publish", s => s.Ice is "connected" or "completed", console);
            // Media is flowing into the silo before anyone subscribes.
            await Until(publisher, "publish", _ => silo.MediaNode.Counters.RtpReceived > rtpBefore + 50, console);

            var viewers = new List<IPage>();
            foreach (var name in new[] { "bob", "carol" })
                viewers.Add(await DemoPage.OpenAsync(browser, silo, room, name, "subscribe", Grants.Subscribe, console));
            pages.AddRange(viewers);

            var first = new List<PcStats>();
            foreach (var viewer in viewers)
                first.Add(await Until(viewer, "subscribe", s => s.FramesDecoded > 0 && s.AudioPackets > 0, console));
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var (viewer, before) in viewers.Zip(first))
            {
                var after = await StatsAsync(viewer, "subscribe");
                after.FramesDecoded.Should().BeGreaterThan(before.FramesDecoded, "decoded video frames keep increasing");
                after.AudioPackets.Should().BeGreaterThan(0);
                after.Errors.Should().BeEmpty();
            }

            // One UDP port on the server for all three clients: chromium's selected pairs all end on the silo's
            // media port, and this process (the silo) has UDP sockets on that port only (an SO_REUSEPORT group).
            var clients = new List<PcStats> { await StatsAsync(publisher, "publish") };
            foreach (var viewer in viewers)
                clients.Add(await StatsAsync(viewer, "subscribe"));
            clients.Should().OnlyContain(c => c.RemotePort == silo.MediaNode.Port && c.RemoteAddress == "127.0.0.1");
            clients.Select(c => c.LocalPort).Distinct().Should().HaveCount(3, "three client sockets meet one server port");

            var (sockets, raw) = await UdpSocketTable.ReadAsync();
            output.WriteLine($"media port {silo.MediaNode.Port}; clients: {string.Join(" | ", clients.Select(c => $"{c.LocalAddress}:{c.LocalPort} -> {c.RemoteAddress}:{c.RemotePort} frames={c.FramesDecoded} audio={c.AudioPackets}"))}\n{raw}");
            var serverPorts = sockets.Where(s => s.Owners.Any(o => o.Pid == self)).Select(s => s.LocalPort).ToHashSet();
            serverPorts.Should().Contain(silo.MediaNode.Port);
            serverPorts.Except(portsBefore).Should().BeEmpty("the silo opened no UDP port per client\n" + raw);
            portsBefore.Should().Contain(silo.MediaNode.Port);
            var ours = ProcessTree.Descendants(self);
            var chromiumPorts = sockets.Where(s => s.Owners.Any(o => ours.Contains(o.Pid))).Select(s => s.LocalPort).ToHashSet();
            chromiumPorts.Should().Contain(clients.Select(c => c.LocalPort!.Value), "each selected pair's local end is one of our chromium's UDP sockets\n" + raw);

            silo.MediaNode.SessionCount.Should().Be(3);
            foreach (var page in viewers.Prepend(publisher))
                await page.EvaluateAsync("() => window.rtcDemo.stop()");
            await WaitForNoSessionsAsync();
            silo.MediaNode.SessionCount.Should().Be(0, "DELETE from every page ends its session");
            foreach (var page in viewers.Prepend(publisher))
                (await StatsAsync(page, "subscribe")).Errors.Should().BeEmpty();
        }
        finally
        {
            await DemoPage.LeaveAsync(pages);
        }
    }

    [Fact]
    public async Task Two_pages_that_publish_and_watch_see_each_other_whoever_joins_first()
    {
        string room = "both-" + Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
        var console = new List<string>();

        // Alice finds nobody when she joins and picks Bob up from the page's periodic look at the room's streams.
        var alice = await DemoPage.OpenAsync(browser, silo, room, "alice", "both", Grants.Publish | Grants.Subscribe, console);
        IPage? bob = null;
        try
        {
            await Until(alice, "publish", s => s.Ice is "connected" or "completed", console);
            bob = await DemoPage.OpenAsync(browser, silo, room, "bob", "both", Grants.Publish | Grants.Subscribe, console);

            foreach (var page in new[] { alice, bob })
            {
                var stats = await Until(page, "subscribe", s => s.FramesDecoded > 0 && s.AudioPackets > 0, console);
                stats.SubscribePcs.Should().Be(1, "each watches the other and not itself");
            }
            silo.MediaNode.SessionCount.Should().Be(4);

            foreach (var page in new[] { alice, bob })
                await page.EvaluateAsync("() => window.rtcDemo.stop()");
            await WaitForNoSessionsAsync();
            silo.MediaNode.SessionCount.Should().Be(0, "DELETE from both pages ends all four sessions");
        }
        finally
        {
            await DemoPage.LeaveAsync(bob is null ? [alice] : [alice, bob]);
        }
    }

    private async Task WaitForNoSessionsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (silo.MediaNode.SessionCount != 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
    }

    internal static async Task<PcStats> StatsAsync(IPage page, string which) =>
        JsonSerializer.Deserialize<PcStats>(await page.EvaluateAsync<string>(StatsScript, which), JsonSerializerOptions.Web)!;

    // Polls the page's stats until the condition holds; on timeout says what chromium and the silo saw.
    private async Task<PcStats> Until(IPage page, string which, Func<PcStats, bool> condition, List<string> console)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var stats = await StatsAsync(page, which);
            if (condition(stats))
                return stats;
            if (DateTime.UtcNow > deadline || stats.Errors.Count > 0)
            {
                var c = silo.MediaNode.Counters;
                string[] log;
                lock (console) log = [.. console];
                throw new TimeoutException(
                    $"{which}: ice={stats.Ice} connection={stats.Connection} pairs=[{string.Join(",", stats.Pairs)}] frames={stats.FramesDecoded} " +
                    $"audio={stats.AudioPackets} errors=[{string.Join("; ", stats.Errors)}]; silo: sessions={silo.MediaNode.SessionCount} " +
                    $"datagrams={silo.MediaNode.DatagramsReceived} rtp={c.RtpReceived} srtpRejected={c.SrtpRejected} unknownSource={c.UnknownSource} " +
                    $"unclassified={c.Unclassified} unknownSsrc={c.RtpUnknownSsrc}; console:\n{string.Join("\n", log)}");
            }
            await Task.Delay(200);
        }
    }

    internal sealed record PcStats(
        string Ice, string Connection, int FramesDecoded, int AudioPackets, List<string> Pairs, List<string> Errors, int SubscribePcs,
        string? LocalAddress, int? LocalPort, string? RemoteAddress, int? RemotePort);
}
