namespace MediaPlane.Recording.Timing;

/// <summary>
/// Extends 32-bit RTP timestamps (RFC 3550 §5.1) to 64 bits: each value is placed nearest to the previous
/// one, so wrap-around (every 13 h at 90 kHz) and small reorderings both come out right.
/// </summary>
public struct RtpTimestampUnwrapper
{
    private long _last;
    private bool _started;

    public long Unwrap(uint timestamp)
    {
        if (!_started)
        {
            _started = true;
            _last = timestamp;
            return _last;
        }
        _last = Nearest(timestamp);
        return _last;
    }

    /// <summary>The 64-bit value nearest to the last one, without moving the reference (for SR timestamps).</summary>
    public readonly long Peek(uint timestamp) => _started ? Nearest(timestamp) : timestamp;

    private readonly long Nearest(uint timestamp) => _last + (int)(timestamp - (uint)_last);
}
