namespace MediaPlane.Fuzz.Targets;

/// <summary>Invariant checks for fuzz targets: a broken invariant is a crash the fuzzer reports.</summary>
public static class FuzzCheck
{
    public static void That(bool condition, string invariant)
    {
        if (!condition)
            throw new InvalidOperationException("Fuzz invariant broken: " + invariant);
    }

    /// <summary>True when <paramref name="inner"/> lies entirely inside <paramref name="outer"/> (or is empty).</summary>
    public static bool Within(ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner) =>
        inner.IsEmpty || (outer.Overlaps(inner, out int offset) && offset >= 0 && offset + inner.Length <= outer.Length);
}
