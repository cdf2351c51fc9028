using Orleans.Runtime.Placement;

namespace Grains.Tests.Signaling;

/// <summary>
/// Test-only placement: session grains never go to the barred silo (a pure media node); with no other
/// silo up their activation fails, as it would in a cluster whose session hosts are all down. Every other
/// grain is placed at random. Unlike removing the grain class from that silo, the session grain type
/// stays in the cluster manifest, so the stream's implicit subscription still exists and its events wait.
/// </summary>
public sealed class BarredSiloPlacementDirector(BarredSilo barred) : IPlacementDirector
{
    private const string SessionGrainType = "clientsession";

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (target.GrainIdentity.Type.ToString() == SessionGrainType && barred.Silo is { } bar)
            silos = silos.Where(s => !s.Equals(bar)).ToArray();
        if (silos.Length == 0)
            throw new OrleansException($"No silo may host {target.GrainIdentity} now.");
        return Task.FromResult(silos[Random.Shared.Next(silos.Length)]);
    }
}

public sealed class BarredSilo
{
    private SiloAddress? _silo;

    public SiloAddress? Silo
    {
        get => Volatile.Read(ref _silo);
        set => Volatile.Write(ref _silo, value);
    }
}
