using Grains.Interfaces.Media;

namespace Gateway.NodeSelection;

/// <summary>
/// Orders media nodes by load: fewest sessions, then lowest CPU, then fewest packets per second; the node
/// id breaks ties so that the choice is the same on every gateway.
/// </summary>
public sealed class LeastLoaded : IComparer<MediaNodeInfo>
{
    public static LeastLoaded Instance { get; } = new();

    public int Compare(MediaNodeInfo? x, MediaNodeInfo? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return 1;
        if (y is null)
            return -1;
        int c = x.Sessions.CompareTo(y.Sessions);
        if (c == 0)
            c = x.CpuUsage.CompareTo(y.CpuUsage);
        if (c == 0)
            c = x.PacketsPerSecond.CompareTo(y.PacketsPerSecond);
        return c != 0 ? c : string.CompareOrdinal(x.NodeId, y.NodeId);
    }

    /// <summary>The least loaded of <paramref name="nodes"/>, or null when there are none.</summary>
    public static MediaNodeInfo? Pick(IEnumerable<MediaNodeInfo> nodes) => nodes.Min(Instance);
}
