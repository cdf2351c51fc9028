using Gateway.Api;
using Grains.Interfaces.Media;

namespace Gateway.WebRtc;

/// <summary>Chooses the media node for a new publisher: the live node with the fewest sessions.</summary>
public sealed class NodeSelector(IGrainFactory grains)
{
    public async Task<MediaNodeInfo> ChooseAsync()
    {
        var nodes = await grains.GetGrain<IMediaNodeDirectoryGrain>(IMediaNodeDirectoryGrain.Key).GetLiveNodesAsync();
        if (nodes.IsEmpty)
            throw new ApiProblem(StatusCodes.Status503ServiceUnavailable, "No media node is available; try again shortly.");
        return nodes.OrderBy(n => n.Sessions).ThenBy(n => n.CpuUsage).First();
    }
}
