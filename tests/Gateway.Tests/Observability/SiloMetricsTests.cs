using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Gateway.Auth;
using Gateway.Tests.WebRtc;
using MediaPlane.Rtp;
using MediaPlane.Contracts;
using MediaPlane.WebRtc;
using Rtc.TestClient;
using Rtc.TestCluster;
using Rtc.TestSupport;
using Xunit.Abstractions;

using static Gateway.Tests.WebRtc.MediaTestSteps;

namespace Gateway.Tests.Observability;

/// <summary>
/// The real silo as a child process (its meters are the process's own, no other test silo shares them): a WHIP
/// publisher and a WHEP viewer made with our C# client move the media plane's and the control plane's numbers in
/// <c>/metrics</c>, which needs an admin token when <c>Metrics:RequireAdmin</c> is on; each session step is one log
/// line with room, identity, session and node; the Orleans Dashboard is off unless enabled.
/// </summary>
public sealed class SiloMetricsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly ApiKeyOptions Keys = SiloProcessFixture.Keys;
    private readonly string _data = Directory.CreateTempSubdirectory("silo-metrics-").FullName;
    private SiloProcess? _silo;
    private HttpClient _http = null!;

    private static string Admin => AccessTokenIssuer.Create(Keys, AccessTokenIssuer.AnyRoom, "ops", Grants.Admin, TimeSpan.FromMinutes(10));

    public async Task InitializeAsync()
    {
        string url = $"http://127.0.0.1:{FreePorts.Tcp()}";
        _silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth__ApiKey"] = Keys.ApiKey,
            ["Auth__ApiSecret"] = Keys.ApiSecret,
            ["Cluster__ClusterId"] = "metrics-" + Guid.NewGuid().ToString("N")[..8],
            ["Silo__SiloPort"] = FreePorts.Tcp().ToString(),
            ["Silo__GatewayPort"] = FreePorts.Tcp().ToString(),
            ["Gateway__Url"] = url,
            ["MediaPort__BindAddress"] = "127.0.0.1",
            ["MediaPort__Port"] = "0",
            ["RelayPort__BindAddress"] = "127.0.0.1",
            ["RelayPort__Port"] = "0",
            ["Storage__DataDirectory"] = _data,
            ["Metrics__RequireAdmin"] = "true",
            ["Logging__LogLevel__Grains.Media.ClientSessionGrain"] = "Information",
        }, _data);
        _http = new HttpClient { BaseAddress = new Uri(url) };
        // WHIP needs the node in the directory: it reports itself right after start.
        await Poll.UntilAsync(async () => (await GetAsync("/v1/nodes", Admin)).Contains("\"live\":true"), TimeSpan.FromSeconds(30), "the media node reported");
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_silo is not null)
        {
            output.WriteLine(_silo.Output);
            await _silo.DisposeAsync();
        }
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_call_moves_media_and_control_plane_metrics_and_every_session_step_is_logged()
    {
        var before = await ScrapeAsync();
        string room = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        OfferedTrack[] tracks = [new(MediaKind.Audio, 0x1111), new(MediaKind.Video, 0x2222)];
        var publisher = await WhipWhepClient.PublishAsync(_http, room, Token(room, "alice", Grants.Publish), tracks);
        var viewer = await WhipWhepClient.SubscribeAsync(_http, room, Token(room, "bob", Grants.Subscribe), [MediaKind.Audio, MediaKind.Video]);
        var received = new ConcurrentDictionary<uint, int>();
        viewer.Transport.OnRtp = p => { if (RtpPacketReader.TryParse(p, out var r, out _)) received.AddOrUpdate(r.Ssrc, 1, (_, n) => n + 1); };
        // Paced like real media, and kept up until the viewer has 150 packets: on a loaded machine the viewer's
        // subscription may take a moment to carry media after its answer.
        ushort seq = 0;
        await Poll.UntilAsync(async () =>
        {
            for (int i = 0; i < 20; i++, seq++)
            {
                publisher.Transport.SendRtp(RtpPacket(0x1111, 111, seq, 160));
                publisher.Transport.SendRtp(RtpPacket(0x2222, 96, seq, 900));
            }
            await Task.Delay(20);
            return received.Values.Sum() >= 150;
        }, TimeSpan.FromSeconds(30), "the viewer received the stream");

        var during = await ScrapeAsync();
        Increase(before, during, "rtc_media_received_packets_total").Should().BeGreaterThanOrEqualTo(150);
        Increase(before, during, "rtc_media_received_bytes_total").Should().BeGreaterThanOrEqualTo(150 * 160);
        Increase(before, during, "rtc_media_forwarded_packets_total").Should().BeGreaterThanOrEqualTo(150);
        Increase(before, during, "rtc_media_sent_packets_total").Should().BeGreaterThanOrEqualTo(150);
        Increase(before, during, "rtc_media_sent_bytes_total").Should().BeGreaterThan(0);
        Increase(before, during, "rtc_media_datagrams_received_total").Should().BeGreaterThanOrEqualTo(150);
        during.Sum("rtc_media_sessions", ("state", "connected")).Should().Be(2);
        during.Matching("rtc_media_dropped_packets_total").Select(s => s.Labels["reason"]).Should().Contain(["unknown_source", "rtp_malformed", "srtp_rejected"]);
        foreach (string name in new[] { "rtc_media_srtp_failures_total", "rtc_media_retransmitted_packets_total", "rtc_media_keyframe_requests_total", "rtc_media_lost_packets_total" })
            during.Samples.Should().Contain(s => s.Name == name);
        foreach (string endpoint in new[] { "whip", "whep" })
        {
            Increase(before, during, "rtc_gateway_joins_total", ("endpoint", endpoint)).Should().Be(1);
            Increase(before, during, "rtc_gateway_offer_duration_seconds_count", ("endpoint", endpoint), ("status", "201")).Should().Be(1);
            during.Matching("rtc_gateway_offer_duration_seconds_bucket", ("endpoint", endpoint), ("le", "+Inf")).Should().ContainSingle().Which.Value.Should().BeGreaterThanOrEqualTo(1);
        }
        during.Types["rtc_gateway_offer_duration_seconds"].Should().Be("histogram");
        // Orleans' own meters are exported too, and grain calls were made.
        during.Samples.Where(s => s.Name.StartsWith("orleans_", StringComparison.Ordinal)).Should().Contain(s => s.Value > 0);
        // Prometheus naming: every sample of a counter is named ..._total (whether its TYPE line carries the suffix or not).
        var counters = during.Types.Where(t => t.Value == "counter").Select(t => t.Key).ToList();
        counters.Should().Contain(c => c.StartsWith("rtc_media_", StringComparison.Ordinal));
        during.Samples.Where(s => counters.Contains(s.Name) || counters.Contains(s.Name + "_total") || counters.Contains(s.Name[..Math.Max(0, s.Name.Length - 6)]))
            .Should().OnlyContain(s => s.Name.EndsWith("_total", StringComparison.Ordinal));

        // A grain call that throws (kicking someone who is not in the room: the room grain refuses) is counted.
        using (var kick = Request(HttpMethod.Delete, $"/v1/rooms/{room}/participants/nobody", Admin))
            ((int)(await _http.SendAsync(kick)).StatusCode).Should().BeGreaterThanOrEqualTo(400);
        var afterFailure = await ScrapeAsync();
        afterFailure.Sum("rtc_grain_call_failures_total").Should().BeGreaterThan(before.Sum("rtc_grain_call_failures_total"));

        string publisherSession = publisher.Location!.Segments[^1];
        string viewerSession = viewer.Location!.Segments[^1];
        (await viewer.DeleteAsync()).Should().Be(200);
        (await publisher.DeleteAsync()).Should().Be(200);
        await Poll.UntilAsync(() => _silo!.Output.Contains($"Session closed: room {room}, identity alice, session {publisherSession}, node "),
            TimeSpan.FromSeconds(15), "the publisher's close was logged");

        // Opened, connected and closed: each once per session, with room, identity, session id and node, under its event id.
        string logs = _silo!.Output;
        foreach (var (identity, session) in new[] { ("alice", publisherSession), ("bob", viewerSession) })
        {
            foreach (var (step, id) in new[] { ("opened", 1410), ("connected", 1411), ("closed", 1412) })
            {
                string line = $"Session {step}: room {room}, identity {identity}, session {session}, node ";
                Occurrences(logs, line).Should().Be(1, $"one '{step}' line for {identity}'s session");
                logs.Should().Contain($"Grains.Media.ClientSessionGrain[{id}]");
            }
        }
        logs.Should().Contain($"Session closed: room {room}, identity alice, session {publisherSession}, node ").And.Contain("reason deleted by the client");
    }

    [Fact]
    public async Task Metrics_need_an_admin_token_when_required_and_the_dashboard_is_off_by_default()
    {
        using (var anonymous = await _http.GetAsync("/metrics"))
            anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using (var viewer = await _http.SendAsync(Request(HttpMethod.Get, "/metrics", Token("some-room", "viewer", Grants.Subscribe))))
            viewer.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using (var admin = await _http.SendAsync(Request(HttpMethod.Get, "/metrics", Admin)))
        {
            admin.StatusCode.Should().Be(HttpStatusCode.OK);
            admin.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        }
        using var dashboard = await _http.GetAsync("/dashboard");
        dashboard.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static string Token(string room, string identity, Grants grants) => AccessTokenIssuer.Create(Keys, room, identity, grants, TimeSpan.FromMinutes(10));

    private static HttpRequestMessage Request(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<string> GetAsync(string path, string token)
    {
        using var response = await _http.SendAsync(Request(HttpMethod.Get, path, token));
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await _http.SendAsync(Request(HttpMethod.Get, "/metrics", Admin));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Increase(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    private static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
