using System.Text.Json;
using Gateway.Auth;
using Gateway.Tests.WebRtc;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Browser;

/// <summary>
/// A browser publisher must keep its resolution and bitrate on an unconstrained link. Chromium's send-side
/// estimator throttles its encoder to ~30 kbit/s when transport-cc is negotiated and no feedback comes back
/// (issue 21), so this watches the publisher's own outbound-rtp stats for a minute while a browser watches, with
/// transport-cc negotiated and answered by the node.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PublisherBitrateTests(SiloProcessFixture silo, ITestOutputHelper output)
{
    private const int Seconds = 60;
    private const int RampSeconds = 10;

    // Outbound video of the publishing page, inbound video of the watching one.
    private const string SampleScript = """
        async () => {
          const d = window.rtcDemo;
          const out = { frameWidth: 0, framesPerSecond: 0, bytesSent: 0, packetsLost: 0, freezeCount: 0, framesDecoded: 0 };
          if (d.publishPc) (await d.publishPc.getStats()).forEach(s => {
            if (s.type === "outbound-rtp" && s.kind === "video") {
              out.frameWidth = s.frameWidth || 0; out.framesPerSecond = s.framesPerSecond || 0; out.bytesSent = s.bytesSent || 0;
            }
          });
          for (const pc of d.subscribePcs) (await pc.getStats()).forEach(s => {
            if (s.type === "inbound-rtp" && s.kind === "video") {
              out.packetsLost += s.packetsLost || 0; out.freezeCount += s.freezeCount || 0; out.framesDecoded += s.framesDecoded || 0;
            }
          });
          return JSON.stringify(out);
        }
        """;

    [Fact]
    public async Task A_chromium_publisher_keeps_its_resolution_and_bitrate_for_a_minute()
    {
        string room = "bitrate-" + Guid.NewGuid().ToString("N")[..8];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = DemoPageTests.ChromiumArgs });
        long feedbackBefore = silo.MediaNode.Counters.TransportFeedbackSent;
        var publisher = await DemoPage.OpenAsync(browser, silo, room, "alice", "publish", Grants.Publish);
        var viewer = await DemoPage.OpenAsync(browser, silo, room, "bob", "subscribe", Grants.Subscribe);
        try
        {
            var samples = new List<Sample>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await SampleAsync(publisher, viewer)).FramesDecoded == 0)
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the viewer decodes the publisher's video within 30 s");
                await Task.Delay(200);
            }
            for (int second = 0; second <= Seconds; second++)
            {
                samples.Add(await SampleAsync(publisher, viewer));
                await Task.Delay(1000);
            }
            for (int i = 1; i < samples.Count; i++)
                output.WriteLine($"{i,2} s: {samples[i].FrameWidth} px {samples[i].FramesPerSecond:F0} fps " +
                                 $"{(samples[i].BytesSent - samples[i - 1].BytesSent) * 8 / 1000.0:F0} kbit/s; viewer lost {samples[i].PacketsLost} freezes {samples[i].FreezeCount}");

            // After the encoder's ramp-up: full width every second, a real frame rate and a bitrate that holds.
            var settled = samples.Skip(RampSeconds).ToList();
            settled.Should().OnlyContain(s => s.FrameWidth >= 640, "the fake camera's 640 px are sent all minute");
            // The median, not every second: a loaded 2-core host makes the encoder skip frames for a second or two.
            settled.Select(s => s.FramesPerSecond).Order().ElementAt(settled.Count / 2).Should().BeGreaterThanOrEqualTo(15, "the frame rate holds");
            double firstHalf = Kbps(settled[0], settled[settled.Count / 2], settled.Count / 2);
            double secondHalf = Kbps(settled[settled.Count / 2], settled[^1], settled.Count - 1 - settled.Count / 2);
            output.WriteLine($"video bitrate {firstHalf:F0} kbit/s then {secondHalf:F0} kbit/s");
            secondHalf.Should().BeGreaterThan(100, "the encoder is not throttled to a trickle");
            secondHalf.Should().BeGreaterThan(0.6 * firstHalf, "the bitrate does not decay");
            // Chromium offers transport-cc, and its estimator is fed: ~20 feedback packets a second.
            long feedback = silo.MediaNode.Counters.TransportFeedbackSent - feedbackBefore;
            output.WriteLine($"transport-cc feedback packets sent: {feedback}");
            feedback.Should().BeGreaterThan(Seconds * 10, "the publisher negotiated transport-cc and gets its feedback");
        }
        finally
        {
            await DemoPage.LeaveAsync(new[] { publisher, viewer });
        }
    }

    private static double Kbps(Sample from, Sample to, int seconds) => (to.BytesSent - from.BytesSent) * 8 / 1000.0 / seconds;

    private static async Task<Sample> SampleAsync(IPage publisher, IPage viewer)
    {
        var sent = JsonSerializer.Deserialize<Sample>(await publisher.EvaluateAsync<string>(SampleScript), JsonSerializerOptions.Web)!;
        var received = JsonSerializer.Deserialize<Sample>(await viewer.EvaluateAsync<string>(SampleScript), JsonSerializerOptions.Web)!;
        return sent with { PacketsLost = received.PacketsLost, FreezeCount = received.FreezeCount, FramesDecoded = received.FramesDecoded };
    }

    private sealed record Sample(int FrameWidth, double FramesPerSecond, long BytesSent, long PacketsLost, long FreezeCount, long FramesDecoded);
}
