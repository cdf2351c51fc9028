using System.Collections.Concurrent;
using Gateway.Auth;
using Grains.Interfaces.Media;
using Grains.Interfaces.Rooms;
using Grains.Media;
using Rtc.TestClient;
using MediaPlane.Contracts;
using MediaPlane.Rtp;
using MediaPlane.WebRtc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Silo.Hosting;
using Rtc.TestSupport;
using Rtc.TestCluster;
using static Gateway.Tests.WebRtc.MediaTestSteps;

namespace Gateway.Tests.WebRtc;

/// <summary>
/// Two in-process silos, each with its own media node and relay port on loopback, and the gateway in
/// front of them through the cluster client: a WHIP publisher on one silo, WHEP subscribers on the other.
/// </summary>
public sealed class TwoSiloFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "relay-e2e-" + Guid.NewGuid().ToString("N"));
    private InProcessTestCluster? _cluster;
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public IGrainFactory Grains => _cluster!.Client;

    /// <summary>The media node of the silo whose node id is <paramref name="nodeId"/>.</summary>
    public IMediaNode Node(string nodeId) => _cluster!.Silos.Single(s => s.SiloAddress.ToParsableString() == nodeId)
        .ServiceProvider.GetRequiredService<IMediaNode>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        var builder = TestClusters.Create(TestClusterFeatures.MediaNodes, 2, _data, mediaSettings: new Dictionary<string, string?>
        {
            ["Relay:ClusterKey"] = Convert.ToBase64String("two-silo-test-relay-cluster-key!"u8),
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        web.Logging.SetMinimumLevel(LogLevel.Warning);
        web.Configuration["Auth:ApiKey"] = SiloProcessFixture.Keys.ApiKey;
        web.Configuration["Auth:ApiSecret"] = SiloProcessFixture.Keys.ApiSecret;
        web.Services.AddSingleton<IGrainFactory>(_cluster.Client);
        web.AddRtcGateway();
        _app = web.Build();
        _app.MapRtcGateway();
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };

        var directory = Grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key);
        for (int i = 0; i < 100 && (await directory.GetLiveNodesAsync()).Length < 2; i++)
            await Task.Delay(100);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}

public sealed class CrossSiloRelayTests(TwoSiloFixture cluster) : IClassFixture<TwoSiloFixture>
{
    private static readonly OfferedTrack[] AudioAndVideo = [new(MediaKind.Audio, 0x1111), new(MediaKind.Video, 0x2222)];

    [Fact]
    public async Task A_WHEP_subscriber_on_another_silo_receives_the_publisher_over_the_relay()
    {
        var directory = cluster.Grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key);
        var nodes = await directory.GetLiveNodesAsync();
        nodes.Should().HaveCount(2);
        nodes.Should().OnlyContain(n => n.RelayAddress == "127.0.0.1" && n.RelayPort > 0, "every node reports its relay port");

        string room = "relay-" + Guid.NewGuid().ToString("N")[..8];
        string Token(string who, Grants grants) => AccessTokenIssuer.Create(SiloProcessFixture.Keys, room, who, grants, TimeSpan.FromMinutes(10));
        await using var publisher = await WhipWhepClient.PublishAsync(cluster.Http, room, Token("alice", Grants.Publish), AudioAndVideo);
        var streams = await cluster.Grains.GetGrain<IRoomGrain>(room).GetStreamsAsync();
        string origin = streams.Select(s => s.OriginSilo).Distinct().Should().ContainSingle().Subject;
        string other = nodes.Single(n => n.NodeId != origin).NodeId;

        // The selector takes the node with fewer sessions: once the origin reports its publisher, that is the other one.
        await Poll.UntilAsync(async () => (await directory.GetLiveNodesAsync()).Single(n => n.NodeId == origin).Sessions >= 1, TimeSpan.FromSeconds(10));
        await using var viewer = await WhipWhepClient.SubscribeAsync(cluster.Http, room, Token("bob", Grants.Subscribe), [MediaKind.Audio, MediaKind.Video]);
        viewer.Answer.Candidate.Port.Should().Be(cluster.Node(other).Port, "the subscriber was placed on the other silo");
        var counts = new ConcurrentDictionary<uint, int>();
        viewer.Transport.OnRtp = p => { if (RtpPacketReader.TryParse(p, out var r, out _)) counts.AddOrUpdate(r.Ssrc, 1, (_, n) => n + 1); };

        // Continuous, paced media (as a camera sends) until the viewer has plenty of both tracks.
        using var sending = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sender = Task.Run(async () =>
        {
            for (ushort seq = 0; !sending.IsCancellationRequested; seq++)
            {
                publisher.Transport.SendRtp(RtpPacket(0x1111, 111, seq, 160));
                publisher.Transport.SendRtp(RtpPacket(0x2222, 96, seq, 900));
                if (seq % 10 == 9)
                    await Task.Delay(10);
            }
        });
        var originNode = (WebRtcServer)cluster.Node(origin);
        var subscriberNode = (WebRtcServer)cluster.Node(other);
        await Poll.UntilAsync(() => Task.FromResult(counts.Count == 2 && counts.Values.All(n => n >= 90)), TimeSpan.FromSeconds(15),
            () => $"received {string.Join(",", counts)}; origin rtp={originNode.Counters.RtpReceived} relaySent={originNode.RelayCounters!.RtpSent} exports={originNode.RelayExportCount}; " +
                  $"subscriber relay rx={subscriberNode.RelayCounters!.RtpReceived} unknown={subscriberNode.RelayCounters.UnknownStream} auth={subscriberNode.RelayCounters.AuthenticationFailed} " +
                  $"malformed={subscriberNode.RelayCounters.Malformed} dest={subscriberNode.RelayCounters.UnknownDestination} imports={subscriberNode.RelayImportCount} sessions={subscriberNode.SessionCount}");
        await sending.CancelAsync();
        await sender;
        originNode.RelayExportCount.Should().Be(2, "audio and video each cross once");
        subscriberNode.RelayImportCount.Should().Be(2);
        subscriberNode.RelayCounters!.RtpReceived.Should().BeGreaterThanOrEqualTo(180);
        originNode.RelayCounters!.RtpSent.Should().BeLessThanOrEqualTo(originNode.Counters.RtpReceived, "each packet crosses at most once");
        subscriberNode.RelayCounters.AuthenticationFailed.Should().Be(0);

        // The publisher leaving ends the imports on the other silo too.
        await viewer.DisposeAsync();
        await publisher.DisposeAsync();
        await Poll.UntilAsync(() => Task.FromResult(subscriberNode.RelayImportCount == 0 && originNode.RelayExportCount == 0), TimeSpan.FromSeconds(15));
        await Poll.UntilAsync(() => Task.FromResult(originNode.SessionCount == 0 && subscriberNode.SessionCount == 0), TimeSpan.FromSeconds(15));
    }
}
