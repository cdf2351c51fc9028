using System.Collections.Immutable;
using System.Net;
using Grains.Interfaces.Media;
using Grains.Interfaces.Routing;
using Grains.Media;
using MediaPlane.Relay.Peers;
using MediaPlane.WebRtc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grains.Routing;

/// <summary>
/// This silo's half of the cascade's control loop, once per probe interval: tells the media node which other nodes
/// exist (active silos in membership with a relay endpoint in the node directory; per-region overrides from
/// "Relay:PeerEndpoints"), so that it probes them and accepts their relay v2 packets, then reports the probed links
/// to the <see cref="IRouteTableGrain"/> in one batch. The grain answers by pushing tables (IMediaNodeGrain).
/// Off when "Relay:ProbeInterval" is zero.
/// </summary>
public sealed partial class RelayLinkReporter(
    IGrainFactory grains,
    IClusterMembershipService membership,
    IMediaNode node,
    MediaNodeService service,
    IOptions<MediaNodeOptions> options,
    ILogger<RelayLinkReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RelayProbeInterval;
        if (interval <= TimeSpan.Zero || node.RelayEndPoint is null)
            return;
        var directory = grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key);
        var routes = grains.GetGrain<IRouteTableGrain>(IRouteTableGrain.Key);
        using var timer = new PeriodicTimer(interval);
        bool failing = false;
        try
        {
            do
            {
                try
                {
                    node.SetRelayPeers(Peers(await directory.GetLiveNodesAsync()));
                    var links = node.MeasureRelayLinks().Select(l => new LinkProbe(l.To, l.RttMs, l.LossPct, l.JitterMs)).ToImmutableArray();
                    await routes.ReportLinksAsync(service.NodeId, links);
                    failing = false;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The grain may be moving (its silo died); the next round reports again. Log once per outage.
                    if (!failing)
                        LogReportFailed(e);
                    failing = true;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Silo stopping.
        }
    }

    /// <summary>Live nodes other than this one, at the relay endpoint this node reaches each at.</summary>
    private List<RelayPeerInfo> Peers(ImmutableArray<MediaNodeInfo> nodes)
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString()).ToHashSet(StringComparer.Ordinal);
        var peers = new List<RelayPeerInfo>();
        foreach (var info in nodes)
        {
            if (info.NodeId == service.NodeId || !active.Contains(info.NodeId))
                continue;
            if (options.Value.RelayPeerEndpoints.TryGetValue(info.Region, out string? configured))
            {
                if (IPEndPoint.TryParse(configured, out var overridden) && overridden.Port != 0)
                    peers.Add(new RelayPeerInfo(info.NodeId, overridden));
                continue;
            }
            if (info.RelayPort > 0 && IPAddress.TryParse(info.RelayAddress, out var address))
                peers.Add(new RelayPeerInfo(info.NodeId, new IPEndPoint(address, info.RelayPort)));
        }
        return peers;
    }

    [LoggerMessage(2201, LogLevel.Warning, "Reporting relay links to the route table grain failed; retrying every probe interval")]
    private partial void LogReportFailed(Exception e);
}
