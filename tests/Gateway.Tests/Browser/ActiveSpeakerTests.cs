using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Auth;
using Gateway.Tests.WebRtc;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.Tests.Browser;

/// <summary>
/// Active speaker end to end (issue 21 item 6): two headless Chromium publishers whose fake microphones play the same
/// tone at different volumes (WAV files made with ffmpeg, one browser each since the file is a browser flag), audio
/// processing off so the levels stay as recorded. The room's WebSocket reports the louder one as the active speaker.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ActiveSpeakerTests(SiloProcessFixture silo, ITestOutputHelper output) : IDisposable
{
    private readonly string _clips = Directory.CreateTempSubdirectory("active-speaker-").FullName;

    public void Dispose() => Directory.Delete(_clips, recursive: true);

    // Audio-only WHIP from the server's own origin (a secure context), RFC 6464 levels as Chromium measures them.
    private const string PublishScript = """
        async ([room, token]) => {
          const media = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
          const pc = window.speakerPc = new RTCPeerConnection();
          pc.addTransceiver(media.getAudioTracks()[0], { direction: "sendonly", streams: [media] });
          await pc.setLocalDescription(await pc.createOffer());
          const r = await fetch(`/whip/${encodeURIComponent(room)}`, { method: "POST",
            headers: { "Authorization": `Bearer ${token}`, "Content-Type": "application/sdp" }, body: pc.localDescription.sdp });
          if (r.status !== 201) throw new Error(`${r.status} ${await r.text()}`);
          window.speakerSession = new URL(r.headers.get("Location"), location.href).href;
          window.speakerToken = token;
          await pc.setRemoteDescription({ type: "answer", sdp: await r.text() });
        }
        """;

    private const string LeaveScript = """
        async () => {
          if (window.speakerSession) await fetch(window.speakerSession, { method: "DELETE", headers: { "Authorization": `Bearer ${window.speakerToken}` } });
          if (window.speakerPc) window.speakerPc.close();
        }
        """;

    [Fact]
    public async Task The_louder_of_two_chromium_publishers_is_pushed_as_the_active_speaker()
    {
        string room = "speakers-" + Guid.NewGuid().ToString("N")[..8];
        // ffmpeg's sine is at 1/8 full scale (about -21 dBov RMS): +12 dB and -20 dB are some 30 dB apart, both above
        // the -50 dBov speech threshold.
        string loud = await ToneAsync("loud.wav", "12dB"), quiet = await ToneAsync("quiet.wav", "-20dB");
        using var playwright = await Playwright.CreateAsync();
        await using var quietBrowser = await LaunchAsync(playwright, quiet);
        await using var loudBrowser = await LaunchAsync(playwright, loud);
        var pages = new List<IPage>();
        try
        {
            // The quiet one first: the room exists once it publishes, and the socket sees the loud one take over.
            pages.Add(await PublishAsync(quietBrowser, room, "quiet"));
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + silo.Token(room, "listener", Grants.Subscribe));
            await socket.ConnectAsync(new UriBuilder(silo.BaseAddress) { Scheme = "ws", Path = $"/v1/rooms/{room}/events/ws" }.Uri, CancellationToken.None);
            (await RoomSockets.ReceiveAsync(socket)).GetProperty("type").GetString().Should().Be("subscribed");
            pages.Add(await PublishAsync(loudBrowser, room, "loud"));

            var changes = new List<JsonElement>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!changes.Any(IsLoudDominant))
            {
                var left = deadline - DateTime.UtcNow;
                left.Should().BePositive($"the loud publisher is reported within 30 s; activeSpeakers seen: {string.Join(" | ", changes)}");
                var message = await RoomSockets.ReceiveAsync(socket, left);
                if (message.GetProperty("type").GetString() == "activeSpeakers")
                {
                    output.WriteLine(message.ToString());
                    changes.Add(message);
                }
            }

            var speakers = changes.First(IsLoudDominant).GetProperty("speakers").EnumerateArray()
                .ToDictionary(s => s.GetProperty("identity").GetString()!, s => s.GetProperty("level").GetInt32());
            // Taken over while its smoothed level still rises (the first run saw -33 against -42 dBov): the message comes
            // as soon as the loud one is the hysteresis above the quiet one, not at its final level.
            speakers["loud"].Should().BeGreaterThan(AudioLevelSilence, "the loud publisher is heard");
            if (speakers.TryGetValue("quiet", out int quietLevel))
                (speakers["loud"] - quietLevel).Should().BeGreaterThanOrEqualTo(6, "a new dominant speaker is at least the 6 dB hysteresis louder");
        }
        finally
        {
            foreach (var page in pages)
            {
                try { await page.EvaluateAsync(LeaveScript); }
                catch (PlaywrightException) { }
            }
        }
    }

    private const int AudioLevelSilence = -127;

    private static bool IsLoudDominant(JsonElement message) =>
        message.TryGetProperty("identity", out var identity) && identity.GetString() == "loud";

    private Task<IBrowser> LaunchAsync(IPlaywright playwright, string wav) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = DemoPageTests.Chromium,
        Headless = true,
        Args = [.. DemoPageTests.ChromiumArgs, $"--use-file-for-fake-audio-capture={wav}"],
    });

    private async Task<IPage> PublishAsync(IBrowser browser, string room, string identity)
    {
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(silo.BaseAddress.ToString()); // the demo page, idle without a #room fragment
        await page.EvaluateAsync(PublishScript, new[] { room, silo.Token(room, identity, Grants.Publish) });
        return page;
    }

    /// <summary>A 48 kHz mono 440 Hz tone of 60 s at ffmpeg's sine level changed by <paramref name="volume"/>.</summary>
    private async Task<string> ToneAsync(string name, string volume)
    {
        string path = Path.Combine(_clips, name);
        var info = new ProcessStartInfo("ffmpeg", $"-hide_banner -v error -y -f lavfi -i sine=frequency=440:sample_rate=48000:duration=60 -af volume={volume} -ac 1 \"{path}\"")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var ffmpeg = Process.Start(info)!;
        string errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        ffmpeg.ExitCode.Should().Be(0, errors);
        return path;
    }
}
