using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Auth;
using Gateway.Tests.WebRtc;
using Grains.Interfaces.Recordings;
using Grains.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Rtc.TestSupport;
using Xunit.Abstractions;

namespace Gateway.Tests.Browser;

/// <summary>
/// Recording through the API, end to end: headless Chromium publishes its fake camera and microphone over WHIP
/// (VP8 + Opus, or H.264 + Opus by codec preference), an admin starts a recording, lets it run 10 s and stops it.
/// The listing shows the file with its duration and size; the download honours HTTP ranges; ffprobe finds the
/// codecs and the duration, ffmpeg decodes it without a word, and Chromium plays it to the end in a video element.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordingTests(SiloProcessFixture silo, ITestOutputHelper output)
{
    private const double RecordSeconds = 10;

    // WHIP with the chosen video codec first in the offer (the node takes the first it supports).
    private const string PublishScript = """
        async ([room, token, codec]) => {
          const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
          const pc = window.recordingPc = new RTCPeerConnection();
          for (const track of media.getTracks()) {
            const t = pc.addTransceiver(track, { direction: "sendonly", streams: [media] });
            if (track.kind === "video") {
              const codecs = RTCRtpSender.getCapabilities("video").codecs;
              const mime = "video/" + codec;
              t.setCodecPreferences([...codecs.filter(c => c.mimeType === mime), ...codecs.filter(c => c.mimeType !== mime)]);
            }
          }
          await pc.setLocalDescription(await pc.createOffer());
          const response = await fetch(`/whip/${room}`, { method: "POST", body: pc.localDescription.sdp,
            headers: { "Authorization": `Bearer ${token}`, "Content-Type": "application/sdp" } });
          if (response.status !== 201) throw new Error(`WHIP ${response.status}: ${await response.text()}`);
          await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
        }
        """;

    // Plays a URL (the page's extra headers carry the token) to its end, at double speed; resolves with what happened.
    private const string PlayScript = """
        async (url) => {
          const video = document.createElement("video");
          video.muted = true;
          document.body.append(video);
          return await new Promise(resolve => {
            video.onended = () => resolve(`ended at ${video.currentTime.toFixed(2)} of ${video.duration.toFixed(2)}`);
            video.onerror = () => resolve(`error ${video.error && video.error.code}: ${video.error && video.error.message}`);
            video.src = url;
            video.playbackRate = 2;
            video.play().catch(e => resolve(`play refused: ${e}`));
          });
        }
        """;

    [Theory]
    [InlineData("VP8", "webm", "vp8")]
    [InlineData("H264", "mp4", "h264")]
    public async Task A_recording_started_and_stopped_through_the_API_is_a_playable_file_with_both_tracks(string codec, string container, string probedCodec)
    {
        string room = "rec-" + Guid.NewGuid().ToString("N")[..8];
        string admin = silo.Token(room, "recorder", Grants.Admin);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = DemoPageTests.ChromiumArgs });
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        try
        {
            await page.GotoAsync(silo.BaseAddress.ToString());
            await page.EvaluateAsync(PublishScript, new[] { room, silo.Token(room, "alice", Grants.Publish), codec });
            await Poll.UntilAsync(async () => (await GetJsonAsync($"/v1/rooms/{room}/streams", admin)).GetProperty("streams").GetArrayLength() == 2,
                TimeSpan.FromSeconds(20), "alice's two tracks are published");

            using var start = await SendAsync(HttpMethod.Post, $"/v1/rooms/{room}/recordings", admin, new { container });
            start.StatusCode.Should().Be(HttpStatusCode.Created, await start.Content.ReadAsStringAsync());
            string recordingId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recordingId").GetString()!;
            await Poll.UntilAsync(async () => File(await ListAsync(room, admin, recordingId)).GetProperty("state").GetString() == "recording",
                TimeSpan.FromSeconds(20), "the file opens at the first keyframe");
            await Task.Delay(TimeSpan.FromSeconds(RecordSeconds));
            var stopRequestedAt = DateTimeOffset.UtcNow;
            using var stop = await SendAsync(HttpMethod.Delete, $"/v1/rooms/{room}/recordings/{recordingId}", admin);
            stop.StatusCode.Should().Be(HttpStatusCode.OK, await stop.Content.ReadAsStringAsync());

            var recording = (await stop.Content.ReadFromJsonAsync<JsonElement>());
            recording.GetProperty("status").GetString().Should().Be("stopped");
            var listed = File(await ListAsync(room, admin, recordingId));
            output.WriteLine(listed.ToString());
            listed.GetProperty("state").GetString().Should().Be("finished");
            listed.GetProperty("name").GetString().Should().Be($"alice.{container}");
            var startedAt = listed.GetProperty("startedAt").GetDateTimeOffset();
            double listedSeconds = listed.GetProperty("durationSeconds").GetDouble();
            double recordedSeconds = (stopRequestedAt - startedAt).TotalSeconds;
            recordedSeconds.Should().BeGreaterThan(RecordSeconds - 0.5);
            listedSeconds.Should().BeApproximately(recordedSeconds, 0.5, "the file covers its first frame to the stop");

            // The download, whole and by range (RFC 9110 §14).
            string url = listed.GetProperty("url").GetString()!;
            using var whole = await SendAsync(HttpMethod.Get, url, admin);
            whole.StatusCode.Should().Be(HttpStatusCode.OK);
            var bytes = await whole.Content.ReadAsByteArrayAsync();
            bytes.LongLength.Should().Be(listed.GetProperty("bytes").GetInt64());
            using var rangeRequest = Request(HttpMethod.Get, url, admin);
            rangeRequest.Headers.Range = new RangeHeaderValue(100, 1123);
            using var range = await silo.Http.SendAsync(rangeRequest);
            range.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            range.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 100-1123/{bytes.Length}");
            (await range.Content.ReadAsByteArrayAsync()).Should().Equal(bytes[100..1124]);
            using var noToken = await silo.Http.GetAsync(url);
            noToken.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

            string file = Path.Combine(Path.GetTempPath(), $"{recordingId}.{container}");
            await System.IO.File.WriteAllBytesAsync(file, bytes);
            try
            {
                var probe = await Ffmpeg.ProbeAsync(file);
                probe.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_name").GetString())
                    .Should().BeEquivalentTo([probedCodec, "opus"]);
                double probed = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
                probed.Should().BeApproximately(recordedSeconds, 0.5);
                // The file's own decode times are strictly increasing per stream (what "non monotonically increasing
                // dts" would be about if it were ours).
                foreach (var stream in new[] { "v", "a" })
                {
                    var dts = (await Ffmpeg.StdoutAsync("ffprobe", $"-v error -select_streams {stream} -show_entries packet=dts -of csv=p=0 \"{file}\"",
                        TimeSpan.FromSeconds(60))).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToList();
                    dts.Should().HaveCountGreaterThan(10);
                    dts.Zip(dts.Skip(1)).Should().OnlyContain(p => p.Second > p.First, $"stream {stream} decode times increase");
                }
                // Decoded without a word. -enc_time_base -1 keeps the file's time base (1/90000, 1/1000) for the null
                // output: by default ffmpeg 5.1 encodes to 1/(guessed frame rate), and a camera's variable frame rate
                // (frames 33 ms apart at an 18.8 fps average) rounds two frames onto one tick, so it printed
                // "[null] Application provided invalid, non monotonically increasing dts to muxer in stream 0: 8 >= 8"
                // for a file whose own dts increase (checked above). -fps_mode passthrough did not change that.
                (await Ffmpeg.RunAsync("ffmpeg", $"-hide_banner -v error -i \"{file}\" -enc_time_base -1 -f null -", TimeSpan.FromSeconds(60),
                    mustSucceed: false)).Should().BeEmpty();
            }
            finally
            {
                if (Environment.GetEnvironmentVariable("REC_KEEP") is { Length: > 0 } keep)
                    System.IO.File.Copy(file, Path.Combine(keep, Path.GetFileName(file)), overwrite: true);
                System.IO.File.Delete(file);
            }

            // Chromium plays the download to the end.
            var player = await (await browser.NewContextAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {admin}" } })).NewPageAsync();
            await player.GotoAsync(silo.BaseAddress.ToString());
            string played = await player.EvaluateAsync<string>(PlayScript, url).WaitAsync(TimeSpan.FromSeconds(60));
            output.WriteLine(played);
            played.Should().StartWith("ended");

            // The room's log has the recording's start and stop.
            var events = (await GetJsonAsync($"/v1/rooms/{room}/events", admin)).GetProperty("events").EnumerateArray()
                .Where(e => e.TryGetProperty("recordingId", out var r) && r.GetString() == recordingId).Select(e => e.GetProperty("type").GetString());
            events.Should().Equal("recordingStarted", "recordingStopped");
        }
        finally
        {
            try { await page.EvaluateAsync("() => window.recordingPc && window.recordingPc.close()"); } catch (PlaywrightException) { }
        }
    }

    private static JsonElement File(JsonElement recording) => recording.GetProperty("files").EnumerateArray().Single();

    private async Task<JsonElement> ListAsync(string room, string token, string recordingId) =>
        (await GetJsonAsync($"/v1/rooms/{room}/recordings", token)).GetProperty("recordings").EnumerateArray()
            .Single(r => r.GetProperty("recordingId").GetString() == recordingId);

    private async Task<JsonElement> GetJsonAsync(string path, string token)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = Request(method, path, token, body);
        return await silo.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_recording_whose_disk_fills_fails_with_a_room_event_and_the_silo_carries_on()
    {
        string room = "recfull-" + Guid.NewGuid().ToString("N")[..8];
        string recordingId = "rec-full-" + Guid.NewGuid().ToString("N")[..8];
        string admin = silo.Token(room, "recorder", Grants.Admin);
        // The node's file is /dev/full: every write fails with ENOSPC, as on a disk that filled.
        var options = silo.Services.GetRequiredService<IOptions<MediaNodeOptions>>().Value;
        string directory = Path.Combine(Path.GetFullPath(options.RecordingDirectory), recordingId);
        Directory.CreateDirectory(directory);
        System.IO.File.CreateSymbolicLink(Path.Combine(directory, "alice.webm"), "/dev/full");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = DemoPageTests.Chromium, Headless = true, Args = DemoPageTests.ChromiumArgs });
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        using var socket = new ClientWebSocket();
        try
        {
            await page.GotoAsync(silo.BaseAddress.ToString());
            await page.EvaluateAsync(PublishScript, new[] { room, silo.Token(room, "alice", Grants.Publish), "VP8" });
            await Poll.UntilAsync(async () => (await GetJsonAsync($"/v1/rooms/{room}/streams", admin)).GetProperty("streams").GetArrayLength() == 2,
                TimeSpan.FromSeconds(20), "alice's two tracks are published");
            socket.Options.SetRequestHeader("Authorization", $"Bearer {admin}");
            await socket.ConnectAsync(new Uri($"ws://{silo.BaseAddress.Authority}/v1/rooms/{room}/events/ws"), CancellationToken.None);

            await silo.Grains.GetGrain<IRecordingGrain>(recordingId).StartAsync(new RecordingSpec(room, "webm", [], []));
            await Poll.UntilAsync(async () => (await ListAsync(room, admin, recordingId)).GetProperty("status").GetString() == "failed",
                TimeSpan.FromSeconds(40), "the first flush fails and so does the recording");

            var recording = await ListAsync(room, admin, recordingId);
            recording.GetProperty("error").GetString().Should().StartWith("disk full");
            File(recording).GetProperty("state").GetString().Should().Be("failed");
            var failed = (await GetJsonAsync($"/v1/rooms/{room}/events", admin)).GetProperty("events").EnumerateArray()
                .Single(e => e.GetProperty("type").GetString() == "recordingFailed");
            failed.GetProperty("recordingId").GetString().Should().Be(recordingId);
            failed.GetProperty("reason").GetString().Should().StartWith("disk full");
            var notified = await ReceiveUntilAsync(socket, "recordingFailed", TimeSpan.FromSeconds(20));
            notified.GetProperty("recordingId").GetString().Should().Be(recordingId);
            (await silo.Http.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK, "the silo goes on");
            silo.MediaNode.SessionCount.Should().BeGreaterThan(0, "and so does the publisher's session");
        }
        finally
        {
            try { await page.EvaluateAsync("() => window.recordingPc && window.recordingPc.close()"); } catch (PlaywrightException) { }
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Room socket messages until one of <paramref name="type"/> (the log's events reach the socket in order).</summary>
    private static async Task<JsonElement> ReceiveUntilAsync(ClientWebSocket socket, string type, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
            if (message.GetProperty("type").GetString() == type)
                return message;
        }
    }
}
