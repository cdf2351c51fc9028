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

    /// <summary>Nodes that report to the directory, less those that membership knows to be not Active (dead, shutting down).</summary>
    public async Task<IReadOnlyCollection<MediaNodeInfo>> LiveNodesAsync(CancellationToken cancellationToken = default)
    {
        var nodes = await grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).GetLiveNodesAsync();
        var members = await membership.GetAsync(cancellationToken);
        if (members is null)
            return nodes;
        return [.. nodes.Where(n => !members.TryGetValue(n.NodeId, out var entry) || entry.Status == Orleans.Runtime.SiloStatus.Active)];
    }
}
