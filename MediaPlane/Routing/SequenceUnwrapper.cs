namespace MediaPlane.Routing;

/// <summary>
/// Extends 16-bit RTP sequence numbers to 64 bits (RFC 3550 §A.1 style): a jump of less than half the
/// space is taken as forward or backward from the highest seen, so reordering and wrap-around both work.
/// </summary>
public struct SequenceUnwrapper
{
    private long _highest;
    private bool _started;

    public long Unwrap(ushort sequence)
    {
        if (!_started)
        {
            _started = true;
            _highest = sequence + 65536L; // start one cycle up so early reordering never goes negative
            return _highest;
        }
        long candidate = (_highest & ~0xFFFFL) | sequence;
        long delta = candidate - _highest;
        if (delta > 32768)
            candidate -= 65536;
        else if (delta < -32768)
            candidate += 65536;
        if (candidate > _highest)
            _highest = candidate;
        return candidate;
    }

    public readonly long Highest => _highest;

    /// <summary>True when <paramref name="a"/> is after <paramref name="b"/> in 16-bit serial arithmetic (RFC 1982).</summary>
    public static bool IsNewer(ushort a, ushort b) => a != b && (ushort)(a - b) < 0x8000;
}
