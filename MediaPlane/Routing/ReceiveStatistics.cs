namespace MediaPlane.Routing;

/// <summary>
/// What a receiver report block needs about one incoming stream (RFC 3550 §6.4.1, §A.3, §A.8): extended
/// highest sequence, expected and lost counts, interarrival jitter, and the last sender report seen.
/// Updated on the stream's receive thread; read by the reporting timer (a torn read costs one stale report).
/// </summary>
internal struct ReceiveStatistics
{
    private SequenceUnwrapper _unwrapper;
    private long _baseSequence;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _lastTransit;
    private double _jitter;

    public long Packets;
    public long Octets;
    /// <summary>Middle 32 bits of the last SR's NTP timestamp (LSR) and when it arrived.</summary>
    public uint LastSenderReport;
    public long LastSenderReportTicks;

    public void OnPacket(ushort sequence, uint rtpTimestamp, int clockRate, long nowTicks, int length)
    {
        long extended = _unwrapper.Unwrap(sequence);
        if (Packets == 0)
            _baseSequence = extended;
        Packets++;
        Octets += length;

        // §A.8: transit time in RTP units; jitter moves 1/16 of the way towards each new difference.
        long arrival = nowTicks * clockRate / 1000;
        long transit = arrival - rtpTimestamp;
        if (Packets > 1)
        {
            long d = Math.Abs(transit - _lastTransit);
            _jitter += (d - _jitter) / 16.0;
        }
        _lastTransit = transit;
    }

    public readonly long ExtendedHighest => _unwrapper.Highest;

    public readonly uint Jitter => (uint)_jitter;

    /// <summary>Cumulative lost (§A.3), clamped to the 24-bit signed field.</summary>
    public readonly int CumulativeLost => Packets == 0 ? 0 : (int)Math.Clamp(ExtendedHighest - _baseSequence + 1 - Packets, -0x800000, 0x7FFFFF);

    /// <summary>Fraction lost since the previous report, as the 8-bit fixed point of §6.4.1; advances the interval.</summary>
    public byte TakeFractionLost()
    {
        if (Packets == 0)
            return 0;
        long expected = ExtendedHighest - _baseSequence + 1;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = Packets - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = Packets;
        long lostInterval = expectedInterval - receivedInterval;
        return expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
    }
}
