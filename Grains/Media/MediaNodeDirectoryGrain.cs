using System.Collections.Immutable;
using Grains.Interfaces.Media;

namespace Grains.Media;

/// <summary>
/// Live media nodes and their load, in memory: nodes report every few seconds, so after a restart the
/// directory is whole again within one report interval and nothing needs storing.
/// </summary>
public sealed class MediaNodeDirectoryGrain : Grain, IMediaNodeDirectoryGrain
{
    /// <summary>A node that has not reported for this long is not offered to clients.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(6);

    private readonly Dictionary<string, MediaNodeInfo> _nodes = new(StringComparer.Ordinal);

    public Task ReportAsync(MediaNodeInfo info)
    {
        _nodes[info.NodeId] = info with { ReportedAt = DateTimeOffset.UtcNow };
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string nodeId)
    {
        _nodes.Remove(nodeId);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<MediaNodeInfo>> GetLiveNodesAsync()
    {
        var now = DateTimeOffset.UtcNow;
        return Task.FromResult(_nodes.Values.Where(n => now - n.ReportedAt <= StaleAfter).OrderBy(n => n.NodeId, StringComparer.Ordinal).ToImmutableArray());
    }
}
