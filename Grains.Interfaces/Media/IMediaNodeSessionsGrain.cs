using System.Collections.Immutable;

namespace Grains.Interfaces.Media;

/// <summary>
/// The sessions one media node carries, keyed by the node id and kept in grain storage, so that the index
/// outlives the node: when membership declares the node's silo dead, this grain (re-activated on any
/// survivor) tells each of those sessions to ask its client to reconnect and to close.
/// </summary>
[Alias("Rtc.IMediaNodeSessionsGrain")]
public interface IMediaNodeSessionsGrain : IGrainWithStringKey
{
    /// <summary>False when the node is already dead: the caller's session cannot live there.</summary>
    [Alias("Add")] Task<bool> AddAsync(string sessionId);

    [Alias("Remove")] Task RemoveAsync(string sessionId);

    [Alias("Get")] Task<ImmutableArray<string>> GetAsync();

    [Alias("IsDead")] Task<bool> IsDeadAsync();

    /// <summary>The node is dead: each of its sessions requests a reconnect and closes. Idempotent; returns how many were told.</summary>
    [Alias("NodeDied")] Task<int> NodeDiedAsync();
}
