using System.Net;
using System.Net.Sockets;
using Gateway.Auth;
using Grains.Interfaces.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Silo.Hosting;
using Rtc.TestSupport;
using Rtc.TestCluster;

namespace Gateway.Tests.WebRtc;

/// <summary>
/// A real silo as `dotnet run --project Silo` builds it (embedded profile, gateway in process, media node
/// on its single UDP port), on free loopback ports and a temporary data directory.
/// </summary>
public sealed class SiloProcessFixture : IAsyncLifetime
{
    public static readonly ApiKeyOptions Keys = new() { ApiKey = "e2e-key", ApiSecret = "e2e-secret-0123456789abcdef0123456789abcdef" };

    private readonly string _data = Path.Combine(Path.GetTempPath(), "silo-e2e-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    public MediaPlane.WebRtc.IMediaNode MediaNode => _app!.Services.GetRequiredService<MediaPlane.WebRtc.IMediaNode>();

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        _app = TestSilo.Build(_data, Keys);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        Http = new HttpClient { BaseAddress = BaseAddress };
        // The node reports itself to the directory right after start; WHIP needs it there.
        var directory = Grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key);
        for (int i = 0; i < 100 && (await directory.GetLiveNodesAsync()).IsEmpty; i++)
            await Task.Delay(100);
    }

    public string Token(string room, string identity, Grants grants) => AccessTokenIssuer.Create(Keys, room, identity, grants, TimeSpan.FromMinutes(10));

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
