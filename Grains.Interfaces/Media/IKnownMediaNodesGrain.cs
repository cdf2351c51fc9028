using System.Collections.Immutable;

namespace Grains.Interfaces.Media;

/// <summary>
/// Every media node that has carried sessions and has not yet been handled as dead, in storage (one grain,
/// key <see cref="Key"/>). A cluster restarted as a whole starts with a new membership table in which the
/// old nodes never appear, so no death is ever declared for them: this list lets the new silos find them
/// and close their sessions.
/// </summary>
[Alias("Rtc.IKnownMediaNodesGrain")]
public interface IKnownMediaNodesGrain : IGrainWithStringKey
{
    public const string Key = "known";

    [Alias("Add")] Task AddAsync(string nodeId);

    [Alias("Remove")] Task RemoveAsync(string nodeId);

    [Alias("Get")] Task<ImmutableArray<string>> GetAsync();
}
