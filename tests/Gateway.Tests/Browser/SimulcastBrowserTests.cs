using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Auth;
using Gateway.Tests.WebRtc;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Browser;

/// <summary>
/// Simulcast end to end: a Chromium publisher sends three layers (q/h/f, scaled down 4/2/1, from a 1280x720 fake
/// camera) over WHIP; three Chromium subscribers over WHEP each get one layer, the highest by default. One of them
/// asks for the lowest layer (POST /whep/{room}/{session}/layer?rid=q) and decodes smaller frames without stopping,
/// then asks for the highest again and gets its width back, while the others stay on the highest.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SimulcastBrowserTests(SiloProcessFixture silo, ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    // The first watched peer connection's inbound video; on a publisher, its outbound layers.
    private const string StatsScript = """
        async () => {
          const d = window.rtcDemo;
          const out = { frameWidth: 0, framesDecoded: 0, layers: [] };
          if (d.subscribePcs.length) (await d.subscribePcs[0].getStats()).forEach(s => {
            if (s.type === "inbound-rtp" && s.kind === "video") { out.frameWidth = s.frameWidth || 0; out.framesDecoded = s.framesDecoded || 0; }
          });
          if (d.publishPc) (await d.publishPc.getStats()).forEach(s => {
            if (s.type === "outbound-rtp" && s.kind === "video") out.layers.push(`${s.rid}:${s.frameWidth || 0}px/${s.bytesSent}B`);
          });
          return JSON.stringify(out);
        }
        """;

    private sealed record Stats(int FrameWidth, long FramesDecoded, string[] Layers);

    private static async Task<Stats> StatsAsync(IPage page) =>
        JsonSerializer.Deserialize<Stats>(await page.EvaluateAsync<string>(StatsScript), JsonSerializerOptions.Web)!;

    [Fact]
    public async Task Three_subscribers_decode_a_three_layer_publisher_and_one_moves_to_the_lowest_layer_and_back()
    {
        string room = "simulcast-" + Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = DemoPageTests.ChromiumArgs });
        var console = new List<string>();
        var pages = new List<IPage>();
        try
        {
            var publisher = await DemoPage.OpenAsync(browser, silo, room, "alice", "publish", Grants.Publish, console, "&simulcast=1");
            pages.Add(publisher);
            var viewers = new List<IPage>();
            foreach (var name in new[] { "v1", "v2", "v3" })
                viewers.Add(await DemoPage.OpenAsync(browser, silo, room, name, "subscribe", Grants.Subscribe, console));
            pages.AddRange(viewers);

            // Everyone decodes, at the highest layer's width (the top layer may start late: the widths settle).
            var high = new int[viewers.Count];
            for (int i = 0; i < viewers.Count; i++)
                high[i] = (await UntilAsync(viewers[i], s => s.FramesDecoded > 0 && s.FrameWidth >= 640, $"v{i + 1} decodes the highest layer")).FrameWidth;
            output.WriteLine($"publisher layers: {string.Join(", ", (await StatsAsync(publisher)).Layers)}; viewers at {string.Join("/", high)} px");

            var moved = viewers[0];
            await moved.EvaluateAsync("() => window.rtcDemo.requestLayer('q')");
            var low = await UntilAsync(moved, s => s.FrameWidth > 0 && s.FrameWidth <= high[0] / 2, "v1 drops to the lowest layer");
            var later = await UntilAsync(moved, s => s.FramesDecoded > low.FramesDecoded + 20, "v1 keeps decoding on the lowest layer");
            output.WriteLine($"v1 on the lowest layer: {low.FrameWidth} px, then {later.FrameWidth} px");
            later.FrameWidth.Should().BeLessThanOrEqualTo(high[0] / 2);
            (await SubscriptionLayersAsync(room, "v1")).Should().Equal("q");
            // The top layer Chromium sends: f, or h if it sends two layers only.
            (await SubscriptionLayersAsync(room, "v2")).Should().ContainSingle().Which.Should().NotBe("q");
            for (int i = 1; i < viewers.Count; i++)
                (await StatsAsync(viewers[i])).FrameWidth.Should().BeGreaterThanOrEqualTo(high[i], $"v{i + 1} stays on the highest layer");

            await moved.EvaluateAsync("() => window.rtcDemo.requestLayer(null)");
            var back = await UntilAsync(moved, s => s.FrameWidth >= high[0], "v1 comes back to the highest layer");
            await UntilAsync(moved, s => s.FramesDecoded > back.FramesDecoded + 20, "v1 keeps decoding on the highest layer");
            (await SubscriptionLayersAsync(room, "v1")).Should().ContainSingle().Which.Should().NotBe("q");
            lock (console)
                console.Should().NotContain(line => line.Contains("page error"));
        }
        finally
        {
            lock (console)
                foreach (var line in console)
                    output.WriteLine(line);
            await DemoPage.LeaveAsync(pages);
        }
    }

    private static async Task<Stats> UntilAsync(IPage page, Func<Stats, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Settle;
        while (true)
        {
            var stats = await StatsAsync(page);
            if (condition(stats))
                return stats;
            DateTime.UtcNow.Should().BeBefore(deadline, $"{what} within {Settle.TotalSeconds:0} s (last: {stats.FrameWidth} px, {stats.FramesDecoded} frames)");
            await Task.Delay(250);
        }
    }

    /// <summary>The layers (RIDs) GET /v1/rooms/{id}/participants shows for the identity's subscribe sessions.</summary>
    private async Task<string?[]> SubscriptionLayersAsync(string room, string identity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/rooms/{room}/participants");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", silo.Token(room, identity, Grants.Subscribe));
        using var response = await silo.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("participants").EnumerateArray()
            .Where(p => p.GetProperty("identity").GetString() == identity)
            .SelectMany(p => p.GetProperty("sessions").EnumerateArray())
            .Where(s => s.GetProperty("kind").GetString() == "subscribe")
            .SelectMany(s => s.GetProperty("subscriptions").EnumerateArray())
            .Where(s => s.TryGetProperty("layer", out var layer) && layer.ValueKind == JsonValueKind.String) // the audio's has none
            .Select(s => s.GetProperty("layer").GetString())
            .ToArray();
    }
}
