using System.Collections.Immutable;

namespace Grains.Interfaces.Media;

/// <summary>
/// Which media nodes exist and how loaded they are (one grain per deployment). Nodes report every few
/// seconds; a node silent for longer than the staleness window is left out, so a dead silo stops
/// receiving clients even before membership declares it dead.
/// </summary>
[Alias("Rtc.IMediaNodeDirectoryGrain")]
public interface IMediaNodeDirectoryGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    [Alias("Report")] Task ReportAsync(MediaNodeInfo info);

    [Alias("Remove")] Task RemoveAsync(string nodeId);

    [Alias("GetNodes")] Task<ImmutableArray<MediaNodeInfo>> GetLiveNodesAsync();
}
