namespace MediaPlane.Fuzz;

/// <summary>One parser under fuzzing. Run must never throw: parsers report bad input as a value.</summary>
public interface IFuzzTarget
{
    /// <summary>Name on the command line, e.g. "stun".</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);
}
