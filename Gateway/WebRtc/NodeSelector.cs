using System.Collections.Immutable;
using System.Net;
using Gateway.Api;
using Gateway.NodeSelection;
using Grains.Interfaces.Media;

namespace Gateway.WebRtc;

/// <summary>
/// Chooses the media node for a new client session: the client's address (see <see cref="ClientAddressResolver"/>)
/// gives its region, and the least loaded live node of that region (or the nearest one with a node) serves it.
/// Live means reporting to the media node directory and, when membership can be read, Active in Orleans.
/// </summary>
public sealed class NodeSelector(IGrainFactory grains, NodeSelectionPolicy policy, ClusterMembershipView membership)
{
    /// <summary>The node for the client behind <paramref name="http"/> (WHIP and WHEP call this).</summary>
    public async Task<MediaNodeInfo> ChooseAsync(HttpContext http) =>
        (await ChooseForAsync(policy.Addresses.Resolve(http), http.RequestAborted)).Node;

    /// <summary>The node for a client at <paramref name="client"/> (null: unknown address), with the reason.</summary>
    public async Task<NodeChoice> ChooseForAsync(IPAddress? client, CancellationToken cancellationToken = default)
    {
        var nodes = await LiveNodesAsync(cancellationToken);
        return policy.Choose(nodes, client)
            ?? throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "No media node is available; try again shortly.");
    }

    /// <summary>How long the last answer of the directory stands in for it while it is unreachable or empty.</summary>
    public static readonly TimeSpan LastKnownFor = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the directory before using the last known nodes.</summary>
    public static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(3);

    private LastKnown? _lastKnown;

    /// <summary>
    /// Nodes that report to the directory, less those that membership knows to be not Active (dead, shutting
    /// down). The directory lives in one grain, in memory: when its silo dies it is unreachable until
    /// membership notices, then empty until the nodes report again (one interval). Meanwhile the last list it
    /// gave, less the silos membership does not know as Active, is used.
    /// </summary>
    public async Task<IReadOnlyCollection<MediaNodeInfo>> LiveNodesAsync(CancellationToken cancellationToken = default)
    {
        ImmutableArray<MediaNodeInfo> nodes;
        try
        {
            nodes = await grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).GetLiveNodesAsync()
                .WaitAsync(DirectoryTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException && !cancellationToken.IsCancellationRequested)
        {
            nodes = [];
        }
        var members = await membership.GetAsync(cancellationToken);
        if (!nodes.IsEmpty)
        {
            Volatile.Write(ref _lastKnown, new LastKnown(nodes, Environment.TickCount64));
            return members is null ? nodes : [.. nodes.Where(n => !members.TryGetValue(n.NodeId, out var entry) || entry.Status == SiloStatus.Active)];
        }
        if (Volatile.Read(ref _lastKnown) is { } last && Environment.TickCount64 - last.At < LastKnownFor.TotalMilliseconds && members is not null)
            return [.. last.Nodes.Where(n => members.TryGetValue(n.NodeId, out var entry) && entry.Status == SiloStatus.Active)];
        return nodes;
    }

    private sealed record LastKnown(ImmutableArray<MediaNodeInfo> Nodes, long At);
}
