using MediaPlane.Transport;

namespace MediaPlane.Relay;

/// <summary>
/// What a node's relay port did with its datagrams, for metrics and tests (like MediaPlaneCounters):
/// counted per receive loop (<see cref="LoopCounters"/>), summed when read.
/// </summary>
public sealed class RelayCounters
{
    internal enum Counter
    {
        Malformed,
        AuthenticationFailed,
        UnknownDestination,
        HopLimitExceeded,
        UnknownStream,
        RtpReceived,
        RtpSent,
        FeedbackReceived,
        FeedbackSent,
        KeepalivesReceived,
        V2UnknownSender,
        V2Rejected,
        ProbesSent,
        ProbesAnswered,
        ProbeRepliesReceived,
        V2Forwarded,
    }

    private readonly LoopCounters _counters = new();

    internal void Increment(Counter counter) => _counters.Increment((int)counter);

    /// <summary>Not a relay packet of a version we speak (see RelayParseError).</summary>
    public long Malformed => _counters.Read((int)Counter.Malformed);
    /// <summary>Tag did not verify with the cluster key: forged, corrupted, or from another cluster.</summary>
    public long AuthenticationFailed => _counters.Read((int)Counter.AuthenticationFailed);
    /// <summary>Authentic, but for another node (multi-hop forwarding is not implemented yet).</summary>
    public long UnknownDestination => _counters.Read((int)Counter.UnknownDestination);
    /// <summary>Arrived with hop limit 0.</summary>
    public long HopLimitExceeded => _counters.Read((int)Counter.HopLimitExceeded);
    /// <summary>Authentic and for us, but for a stream we neither import nor export (or from the wrong source).</summary>
    public long UnknownStream => _counters.Read((int)Counter.UnknownStream);
    public long RtpReceived => _counters.Read((int)Counter.RtpReceived);
    public long RtpSent => _counters.Read((int)Counter.RtpSent);
    public long FeedbackReceived => _counters.Read((int)Counter.FeedbackReceived);
    public long FeedbackSent => _counters.Read((int)Counter.FeedbackSent);
    public long KeepalivesReceived => _counters.Read((int)Counter.KeepalivesReceived);
    /// <summary>Relay v2 datagrams from an address that is no known peer's relay endpoint (dropped before any crypto).</summary>
    public long V2UnknownSender => _counters.Read((int)Counter.V2UnknownSender);
    /// <summary>Relay v2 datagrams from a known peer that did not open: malformed, unknown key id, replayed, or forged.</summary>
    public long V2Rejected => _counters.Read((int)Counter.V2Rejected);
    public long ProbesSent => _counters.Read((int)Counter.ProbesSent);
    public long ProbesAnswered => _counters.Read((int)Counter.ProbesAnswered);
    public long ProbeRepliesReceived => _counters.Read((int)Counter.ProbeRepliesReceived);
    /// <summary>Exports whose next hop a new route table changed (each asked its publisher for a keyframe).</summary>
    public long RouteChanges => Interlocked.Read(ref _routeChanges);
    private long _routeChanges; // control threads only: not a loop counter

    internal void RouteChanged() => Interlocked.Increment(ref _routeChanges);

    /// <summary>Relay v2 packets for another node, resealed and sent on to the next hop of the table.</summary>
    public long V2Forwarded => _counters.Read((int)Counter.V2Forwarded);
}
