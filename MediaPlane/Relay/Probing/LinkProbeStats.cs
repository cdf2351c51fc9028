namespace MediaPlane.Relay.Probing;

/// <summary>
/// Round-trip time, loss and jitter of one directed link from its last <see cref="Window"/> probes (about 10 s at one
/// probe a second; loss needs the window to span more than the time a probe has to be answered in). RTT is smoothed with weight 1/2 on the newest sample, so a degraded link shows within one probe;
/// loss counts the probes of the window old enough to have been answered; jitter is the RFC 3550 §6.4.1 running mean
/// of |D| with gain 1/16, D taken between consecutive round trips and halved (one way). Thread-safe: probes are sent by
/// the prober's timer, replies arrive on a receive loop; one lock, a couple of times a second per peer.
/// </summary>
internal sealed class LinkProbeStats
{
    public const int Window = 10;

    private readonly object _lock = new();
    private readonly uint[] _numbers = new uint[Window];
    private readonly long[] _sentTicks = new long[Window];
    private readonly bool[] _answered = new bool[Window];
    private int _count;
    private uint _next;
    private double _smoothedRttMs = double.NaN;
    private double _lastRttMs = double.NaN;
    private double _jitterMs;

    /// <summary>Records a probe about to be sent; returns the number to put in it.</summary>
    public uint Sent(long nowTicks)
    {
        lock (_lock)
        {
            uint number = _next++;
            int slot = (int)(number % Window);
            _numbers[slot] = number;
            _sentTicks[slot] = nowTicks;
            _answered[slot] = false;
            _count = Math.Min(Window, _count + 1);
            return number;
        }
    }

    /// <summary>A reply to probe <paramref name="number"/> took <paramref name="rttMs"/>. Unknown, late or duplicate replies count nothing.</summary>
    public void Answered(uint number, double rttMs)
    {
        lock (_lock)
        {
            int slot = (int)(number % Window);
            if (_count == 0 || _numbers[slot] != number || _answered[slot] || unchecked(_next - number) > Window)
                return;
            _answered[slot] = true;
            if (double.IsNaN(_smoothedRttMs))
                _smoothedRttMs = rttMs;
            else
            {
                _smoothedRttMs = (_smoothedRttMs + rttMs) / 2;
                _jitterMs += (Math.Abs(rttMs - _lastRttMs) / 2 - _jitterMs) / 16;
            }
            _lastRttMs = rttMs;
        }
    }

    /// <summary>
    /// The link now, or false before any reply (a link never answered is not reported: the control plane routes
    /// only over links it has measured). Probes sent less than <paramref name="answerWithinMs"/> ago are not yet lost.
    /// </summary>
    public bool TryMeasure(long nowTicks, double answerWithinMs, out double rttMs, out double lossPct, out double jitterMs)
    {
        lock (_lock)
        {
            rttMs = _smoothedRttMs;
            jitterMs = _jitterMs;
            int due = 0, lost = 0;
            for (int i = 0; i < _count; i++)
            {
                if (nowTicks - _sentTicks[i] < answerWithinMs)
                    continue;
                due++;
                if (!_answered[i])
                    lost++;
            }
            lossPct = due == 0 ? 0 : 100.0 * lost / due;
            return !double.IsNaN(rttMs);
        }
    }
}
