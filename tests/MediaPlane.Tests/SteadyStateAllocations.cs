namespace MediaPlane.Tests;

/// <summary>
/// Bytes a hot-path operation allocates on this thread once warm. The runtime itself sometimes allocates a
/// few hundred bytes once (tiered re-compilation, on-stack replacement) in the middle of a measured loop, so
/// the loop is measured in a few rounds and the smallest round counts: a per-call allocation shows in every
/// round and still fails the caller's assertion.
/// </summary>
internal static class SteadyStateAllocations
{
    public static long Measure(Action once, int callsPerRound = 1000, int warmUpCalls = 200, int rounds = 3)
    {
        for (int i = 0; i < warmUpCalls; i++)
            once();
        long smallest = long.MaxValue;
        for (int round = 0; round < rounds && smallest > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerRound; i++)
                once();
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return smallest;
    }
}
