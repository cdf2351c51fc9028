namespace MediaPlane.Relay;

/// <summary>What a node's relay port did with its datagrams, for metrics and tests (like MediaPlaneCounters).</summary>
public sealed class RelayCounters
{
    internal long _malformed;
    internal long _authenticationFailed;
    internal long _unknownDestination;
    internal long _hopLimitExceeded;
    internal long _unknownStream;
    internal long _rtpReceived;
    internal long _rtpSent;
    internal long _feedbackReceived;
    internal long _feedbackSent;
    internal long _keepalivesReceived;

    /// <summary>Not a relay packet of a version we speak (see RelayParseError).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);
    /// <summary>Tag did not verify with the cluster key: forged, corrupted, or from another cluster.</summary>
    public long AuthenticationFailed => Interlocked.Read(ref _authenticationFailed);
    /// <summary>Authentic, but for another node (multi-hop forwarding is not implemented yet).</summary>
    public long UnknownDestination => Interlocked.Read(ref _unknownDestination);
    /// <summary>Arrived with hop limit 0.</summary>
    public long HopLimitExceeded => Interlocked.Read(ref _hopLimitExceeded);
    /// <summary>Authentic and for us, but for a stream we neither import nor export (or from the wrong source).</summary>
    public long UnknownStream => Interlocked.Read(ref _unknownStream);
    public long RtpReceived => Interlocked.Read(ref _rtpReceived);
    public long RtpSent => Interlocked.Read(ref _rtpSent);
    public long FeedbackReceived => Interlocked.Read(ref _feedbackReceived);
    public long FeedbackSent => Interlocked.Read(ref _feedbackSent);
    public long KeepalivesReceived => Interlocked.Read(ref _keepalivesReceived);
}
