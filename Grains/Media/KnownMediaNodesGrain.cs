using System.Collections.Immutable;
using Grains.Interfaces.Media;

namespace Grains.Media;

/// <summary>See <see cref="IKnownMediaNodesGrain"/>; written only when the set changes.</summary>
public sealed class KnownMediaNodesGrain(
    [PersistentState("knownMediaNodes", StorageNames.Rtc)] IPersistentState<KnownMediaNodesState> state) : Grain, IKnownMediaNodesGrain
{
    public async Task AddAsync(string nodeId)
    {
        if (state.State.Nodes.Add(nodeId))
            await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string nodeId)
    {
        if (state.State.Nodes.Remove(nodeId))
            await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> GetAsync() => Task.FromResult(state.State.Nodes.ToImmutableArray());
}

[GenerateSerializer, Alias("Rtc.KnownMediaNodesState")]
public sealed class KnownMediaNodesState
{
    [Id(0)] public SortedSet<string> Nodes { get; set; } = new(StringComparer.Ordinal);
}
