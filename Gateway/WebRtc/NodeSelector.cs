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

    /// <summary>How long a node this gateway has seen in the directory stays a candidate while membership calls it Active.</summary>
    public static readonly TimeSpan LastKnownFor = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the directory before going by the nodes seen before.</summary>
    public static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(3);

    private readonly Lock _seenLock = new();
    private readonly Dictionary<string, (MediaNodeInfo Node, long SeenAt)> _seen = new(StringComparer.Ordinal);

    /// <summary>
    /// Nodes that report to the directory, less those that membership knows to be not Active (dead, shutting
    /// down). The directory lives in one grain, in memory: when its silo dies it is unreachable until
    /// membership notices, then fills again as the nodes report (one interval). Meanwhile nodes this gateway
    /// saw in the last <see cref="LastKnownFor"/> still count when membership knows them as Active.
    /// </summary>
    public async Task<IReadOnlyCollection<MediaNodeInfo>> LiveNodesAsync(CancellationToken cancellationToken = default)
    {
        ImmutableArray<MediaNodeInfo> reported;
        try
        {
            reported = await grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).GetLiveNodesAsync()
                .WaitAsync(DirectoryTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException && !cancellationToken.IsCancellationRequested)
        {
            reported = [];
        }
        var members = await membership.GetAsync(cancellationToken);
        long now = Environment.TickCount64;
        var nodes = new Dictionary<string, MediaNodeInfo>(StringComparer.Ordinal);
        lock (_seenLock)
        {
            foreach (var node in reported)
                _seen[node.NodeId] = (node, now);
            foreach (var (id, (node, seenAt)) in _seen)
            {
                if (now - seenAt > LastKnownFor.TotalMilliseconds)
                    _seen.Remove(id);
                else if (members is not null && members.TryGetValue(id, out var entry) && entry.Status == SiloStatus.Active)
                    nodes[id] = node;
            }
        }
        foreach (var node in reported)
            if (members is null || !members.TryGetValue(node.NodeId, out var entry) || entry.Status == SiloStatus.Active)
                nodes[node.NodeId] = node;
        return nodes.Values;
    }
}
