namespace Grains.Interfaces.Signaling;

/// <summary>What happened to a session's media. Values travel through queues: never renumber.</summary>
[GenerateSerializer, Alias("Rtc.MediaStateEventType")]
public enum MediaStateEventType
{
    /// <summary>ICE and DTLS are done; SRTP flows.</summary>
    Connected = 1,
    /// <summary>The DTLS handshake failed or timed out; the session is closed.</summary>
    DtlsFailed = 2,
    /// <summary>No consent refresh (RFC 7675) in time; the session is closed.</summary>
    ConsentLost = 3,
    /// <summary>The session ended for another reason (<see cref="MediaStateEvent.Reason"/>).</summary>
    Closed = 4,
    /// <summary>First RTP of a published track (<see cref="MediaStateEvent.StreamId"/>).</summary>
    TrackStarted = 5,
    /// <summary>A started track ended with its session.</summary>
    TrackStopped = 6,
    /// <summary>Periodic counters of a connected session (<see cref="MediaStateEvent.Stats"/>).</summary>
    Stats = 7,
}

/// <summary>
/// One media-state report of a media node about one session, published on <see cref="RtcStreams.MediaState"/>
/// keyed by the session id. Published off the packet path, fire-and-forget.
/// </summary>
[GenerateSerializer, Immutable, Alias("Rtc.MediaStateEvent")]
public sealed record MediaStateEvent
{
    [Id(0)] public required MediaStateEventType Type { get; init; }
    [Id(1)] public required string SessionId { get; init; }
    [Id(2)] public required string NodeId { get; init; }
    [Id(3)] public required DateTimeOffset Timestamp { get; init; }
    [Id(4)] public string? StreamId { get; init; }
    /// <summary>DtlsFailed, ConsentLost, Closed: why, in words.</summary>
    [Id(5)] public string? Reason { get; init; }
    [Id(6)] public MediaSessionStats? Stats { get; init; }

    /// <summary>Whether the session is over after this event.</summary>
    public bool EndsSession => Type is MediaStateEventType.DtlsFailed or MediaStateEventType.ConsentLost or MediaStateEventType.Closed;
}

/// <summary>
/// Counters of one session over the last report interval: for a publisher what it sent us (all its
/// tracks), for a subscriber what we sent it.
/// </summary>
/// <param name="BitsPerSecond">RTP payload and header bits per second over the interval.</param>
/// <param name="PacketsLost">Cumulative RTP packets lost (publishers; from sequence gaps).</param>
/// <param name="LossFraction">Lost / expected over the interval, 0..1 (publishers).</param>
[GenerateSerializer, Immutable, Alias("Rtc.MediaSessionStats")]
public sealed record MediaSessionStats(
    [property: Id(0)] double IntervalSeconds,
    [property: Id(1)] long Packets,
    [property: Id(2)] long Octets,
    [property: Id(3)] double BitsPerSecond,
    [property: Id(4)] long PacketsLost,
    [property: Id(5)] double LossFraction);
