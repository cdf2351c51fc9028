using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Grains.Placement;

/// <summary>
/// Places a grain on the silo named by its string key (the silo address in Orleans' parsable form).
/// Media node grains use it: each stands for one silo's sockets, so it must live there and nowhere else.
/// When that silo is gone, activation fails instead of silently landing elsewhere.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloBoundPlacement : PlacementStrategy
{
    public static readonly SiloBoundPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloBoundPlacementAttribute() : PlacementAttribute(SiloBoundPlacement.Instance);

public sealed class SiloBoundPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString();
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.ToParsableString() == key)
                return Task.FromResult(silo);
        }
        throw new OrleansException($"Media node '{key}' is not an active silo of this cluster.");
    }
}
