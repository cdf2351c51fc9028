namespace MediaPlane.Fec;

/// <summary>
/// How many packets one XOR parity packet protects, from the link's measured loss. One parity per group repairs one
/// loss per group; smaller groups repair more at more overhead, capped at 25% (k = 4).
/// <list type="bullet">
/// <item>loss &lt; 0.1%: off</item>
/// <item>&lt; 1%: k = 10 (10% overhead)</item>
/// <item>&lt; 3%: k = 6 (16.7%)</item>
/// <item>otherwise: k = 4 (25%)</item>
/// </list>
/// </summary>
public static class FecPolicy
{
    public const int MaxOverheadGroup = 4;

    public static int GroupSizeFor(double lossPct) => lossPct switch
    {
        < 0.1 => 0,
        < 1 => 10,
        < 3 => 6,
        _ => MaxOverheadGroup,
    };

    public static double Overhead(int groupSize) => groupSize == 0 ? 0 : 1.0 / groupSize;
}
