using Grains.Interfaces.Media;
using MediaPlane.Contracts;
using MediaPlane.WebRtc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grains.Media;

/// <summary>
/// Owns this silo's media plane: binds the single UDP port at start-up (failing fast if it is taken),
/// tells session grains when their media connects or ends, and reports the node's load to the directory.
/// </summary>
public sealed partial class MediaNodeService : IMediaSessionObserver, IHostedService, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ILocalSiloDetails _silo;
    private readonly MediaNodeOptions _options;
    private readonly ILogger<MediaNodeService> _logger;
    private readonly IMediaNode _server;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _reporting;
    private long _lastDatagrams;
    private TimeSpan _lastCpu;
    private long _lastTicks = Environment.TickCount64;
    private double _packetsPerSecond;
    private double _cpuUsage;
    private long _lastBytes;
    private double _bitsPerSecond;

    public MediaNodeService(IGrainFactory grains, ILocalSiloDetails silo, IOptions<MediaNodeOptions> options, ILogger<MediaNodeService> logger,
        IOptions<Orleans.Configuration.ClusterOptions> cluster, IServiceProvider services)
    {
        _grains = grains;
        _silo = silo;
        _options = options.Value;
        _logger = logger;
        _server = new WebRtcServer(new WebRtcServerOptions { Port = _options.Port, AddressMoves = _options.AddressMoves, Relay = RelaySetup.Create(_options, cluster.Value, NodeId, logger) }, this);
        _mediaState = new MediaStateReporter(services, grains, NodeId, logger);
        LogListening(_server.AdvertisedAddress, _server.Port, _options.Port.BindAddress);
        RelaySetup.LogListening(logger, _server.RelayEndPoint?.ToString() ?? "", _options.RelayPort.BindAddress);
    }

    public IMediaNode Node => _server;

    /// <summary>Packet and byte totals of every session this node carried (metrics, load report).</summary>
    public MediaTrafficTotals Traffic { get; } = new();

    public string NodeId => _silo.SiloAddress.ToParsableString();

    /// <summary>
    /// Refuses a new session while <see cref="MediaNodeOptions.UnconnectedSessionsLimit"/> sessions on this node have not
    /// finished ICE and DTLS (each holds state until its consent times out): offers that never connect cannot pile up.
    /// </summary>
    public void RequireRoomForUnconnectedSession()
    {
        int limit = _options.UnconnectedSessionsLimit;
        if (limit <= 0 || _server.SessionCount < limit)
            return;
        int unconnected = _server.UnconnectedSessionCount;
        if (unconnected >= limit)
            throw new MediaNodeException($"This media node has {unconnected} sessions still connecting (Limits:UnconnectedSessionsPerNode = {limit}); try again shortly.");
    }

    /// <summary>Ids of the sessions open on this node now.</summary>
    public IEnumerable<string> SessionIds() => _server.SessionIds();

    /// <summary>True while the session is open on this node.</summary>
    public bool HasSession(string sessionId) => _server.HasSession(sessionId);

    public MediaNodeInfo CurrentInfo() => new(NodeId, _options.Region, _server.AdvertisedAddress, _server.Port, _server.SessionCount,
        _packetsPerSecond, _cpuUsage, DateTimeOffset.UtcNow, _server.RelayEndPoint?.Address.ToString(), _server.RelayEndPoint?.Port ?? 0,
        _bitsPerSecond);

    // Session state changes travel on the media-state stream (MediaNodeService.MediaState.cs).
    public void OnConnected(string sessionId) => _mediaState.Connected(sessionId);

    public void OnClosed(string sessionId, SessionCloseReason reason, string? detail)
    {
        LogSessionClosed(sessionId, reason, detail ?? "");
        _mediaState.Closed(sessionId, reason, detail);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _reporting = Task.Run(ReportLoopAsync, CancellationToken.None);
        _sampling = Task.Run(SampleLoopAsync, CancellationToken.None);
        _audioLevelSampling = Task.Run(AudioLevelLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ReportLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.ReportInterval);
        var directory = _grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key);
        try
        {
            do
            {
                SampleLoad();
                try
                {
                    await directory.ReportAsync(CurrentInfo());
                }
                catch (Exception e) when (!_stopping.IsCancellationRequested)
                {
                    LogReportFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void SampleLoad()
    {
        long now = Environment.TickCount64;
        var cpu = Environment.CpuUsage.TotalTime; // getrusage: no Process object, no /proc parsing every report
        long datagrams = _server.DatagramsReceived;
        double seconds = Math.Max(0.001, (now - _lastTicks) / 1000.0);
        _packetsPerSecond = (datagrams - _lastDatagrams) / seconds;
        _cpuUsage = (cpu - _lastCpu).TotalSeconds / seconds / Environment.ProcessorCount;
        _lastTicks = now;
        _lastCpu = cpu;
        _lastDatagrams = datagrams;
        // RTP payload in and out, from session snapshots: once per report, not per packet.
        var traffic = Traffic.Read(_server.SnapshotSessions());
        long bytes = traffic.BytesReceived + traffic.BytesSent;
        _bitsPerSecond = Math.Max(0, bytes - _lastBytes) * 8 / seconds;
        _lastBytes = bytes;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_reporting is not null)
            await _reporting.ConfigureAwait(false);
        if (_sampling is not null)
            await _sampling.ConfigureAwait(false);
        if (_audioLevelSampling is not null)
            await _audioLevelSampling.ConfigureAwait(false);
        await _mediaState.DisposeAsync();
        try
        {
            await _grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).RemoveAsync(NodeId).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e)
        {
            LogReportFailed(e);
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Media port listening: clients use {Address}:{Port} (bound {Bind})")]
    private partial void LogListening(string address, int port, string bind);

    [LoggerMessage(2, LogLevel.Information, "Media session {SessionId} closed by the media plane: {Reason} {Detail}")]
    private partial void LogSessionClosed(string sessionId, SessionCloseReason reason, string detail);

    [LoggerMessage(4, LogLevel.Warning, "Reporting to the media node directory failed")]
    private partial void LogReportFailed(Exception e);
}
