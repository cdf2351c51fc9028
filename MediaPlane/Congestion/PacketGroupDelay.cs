namespace MediaPlane.Congestion;

/// <summary>
/// Groups packets sent within one burst (5 ms of send time, draft-ietf-rmcat-gcc-02 §5.2) and yields,
/// per completed group, the send-time and arrival-time differences to the group before it: their
/// difference is the one-way delay variation the trendline filters.
/// Owner: its <see cref="DelayBasedEstimator"/>.
/// </summary>
internal sealed class PacketGroupDelay
{
    public const long BurstMicros = 5_000;
    // An arrival jump this large is a clock change or a long pause, not queueing: start over.
    private const long ResetMicros = 3_000_000;

    private Group _current;
    private Group _previous;

    /// <summary>
    /// Adds a packet. True when it closed a group, with the deltas between that group and the previous
    /// one (µs). Packets sent before the current group began (reordered feedback) are ignored.
    /// </summary>
    public bool TryAdd(long sendMicros, long arrivalMicros, out long sendDeltaMicros, out long arrivalDeltaMicros)
    {
        sendDeltaMicros = 0;
        arrivalDeltaMicros = 0;
        if (!_current.Started)
        {
            _current = Group.Start(sendMicros, arrivalMicros);
            return false;
        }
        if (sendMicros < _current.FirstSendMicros)
            return false;
        if (sendMicros - _current.FirstSendMicros <= BurstMicros)
        {
            _current.LastSendMicros = Math.Max(_current.LastSendMicros, sendMicros);
            _current.LastArrivalMicros = Math.Max(_current.LastArrivalMicros, arrivalMicros);
            return false;
        }
        bool complete = false;
        if (_previous.Started)
        {
            sendDeltaMicros = _current.LastSendMicros - _previous.LastSendMicros;
            arrivalDeltaMicros = _current.LastArrivalMicros - _previous.LastArrivalMicros;
            complete = Math.Abs(arrivalDeltaMicros) < ResetMicros;
        }
        _previous = complete || !_previous.Started ? _current : default;
        _current = Group.Start(sendMicros, arrivalMicros);
        return complete;
    }

    private struct Group
    {
        public bool Started;
        public long FirstSendMicros;
        public long LastSendMicros;
        public long LastArrivalMicros;

        public static Group Start(long send, long arrival) =>
            new() { Started = true, FirstSendMicros = send, LastSendMicros = send, LastArrivalMicros = arrival };
    }
}
