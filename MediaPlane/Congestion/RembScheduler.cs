using MediaPlane.Rtcp;

namespace MediaPlane.Congestion;

/// <summary>
/// When to send a REMB (draft-alvestrand-rmcat-remb-03 §2.2) with the receive-side estimate: once a second,
/// and at once when the estimate falls 3 % or more below the last one sent, so a sender backs off quickly
/// but is not flooded while it rises. Writes the packet with <see cref="RtcpRemb"/>. Owner: the publisher
/// session's loop thread.
/// </summary>
public sealed class RembScheduler
{
    public const long IntervalMicros = 1_000_000;
    private const double DropFraction = 0.03;

    private long _lastSentMicros = long.MinValue;
    private long _lastSentBitsPerSecond;

    /// <summary>The estimate last written, 0 before the first.</summary>
    public long LastSentBitsPerSecond => _lastSentBitsPerSecond;

    public bool IsDue(long estimateBitsPerSecond, long nowMicros) =>
        _lastSentMicros == long.MinValue || nowMicros - _lastSentMicros >= IntervalMicros
        || estimateBitsPerSecond < _lastSentBitsPerSecond * (1 - DropFraction);

    /// <summary>Writes a REMB for <paramref name="mediaSsrcs"/> when one is due; false otherwise or when it does not fit.</summary>
    public bool TryWrite(Span<byte> destination, uint senderSsrc, ReadOnlySpan<uint> mediaSsrcs, long estimateBitsPerSecond, long nowMicros,
        out int written)
    {
        written = 0;
        if (!IsDue(estimateBitsPerSecond, nowMicros)
            || !RtcpRemb.TryWrite(destination, senderSsrc, (ulong)Math.Max(estimateBitsPerSecond, 0), mediaSsrcs, out written))
            return false;
        _lastSentMicros = nowMicros;
        _lastSentBitsPerSecond = estimateBitsPerSecond;
        return true;
    }
}
