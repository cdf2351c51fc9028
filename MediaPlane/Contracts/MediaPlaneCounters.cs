using MediaPlane.Transport;

namespace MediaPlane.Contracts;

/// <summary>
/// Why datagrams were dropped or what happened to them, per media node. Read for metrics and tests.
/// Each receive loop counts in its own row (<see cref="LoopCounters"/>); a read sums the rows.
/// </summary>
public sealed class MediaPlaneCounters
{
    internal enum Counter
    {
        UnknownSource,
        Unclassified,
        RtpMalformed,
        RtpUnknownSsrc,
        SrtpRejected,
        RtcpMalformed,
        RtpForwarded,
        NacksAnswered,
        KeyframeRequests,
        RtpWhileOwnerMoves,
        TransportFeedbackSent,
        NacksSentToPublishers,
        RtxRecovered,
        RtxDiscarded,
        RepairGaveUp,
        RembSent,
    }

    private readonly LoopCounters _counters = new();

    internal void Increment(Counter counter) => _counters.Increment((int)counter);

    /// <summary>DTLS or SRTP from an address no session has (never nominated, or moved away).</summary>
    public long UnknownSource => _counters.Read((int)Counter.UnknownSource);
    /// <summary>First byte outside every RFC 7983 range we accept.</summary>
    public long Unclassified => _counters.Read((int)Counter.Unclassified);
    public long RtpMalformed => _counters.Read((int)Counter.RtpMalformed);
    /// <summary>Authenticated RTP whose SSRC the session did not announce.</summary>
    public long RtpUnknownSsrc => _counters.Read((int)Counter.RtpUnknownSsrc);
    /// <summary>SRTP/SRTCP failing authentication or replay checks, or arriving before DTLS finished.</summary>
    public long SrtpRejected => _counters.Read((int)Counter.SrtpRejected);
    public long RtcpMalformed => _counters.Read((int)Counter.RtcpMalformed);
    public long RtpReceived => _counters.Read((int)Counter.RtpForwarded);
    public long NacksAnswered => _counters.Read((int)Counter.NacksAnswered);
    public long KeyframeRequests => _counters.Read((int)Counter.KeyframeRequests);
    /// <summary>transport-cc feedback packets sent to publishers that negotiated it.</summary>
    public long TransportFeedbackSent => _counters.Read((int)Counter.TransportFeedbackSent);
    /// <summary>Generic NACK packets sent to publishers for packets missing from their streams.</summary>
    public long NacksSentToPublishers => _counters.Read((int)Counter.NacksSentToPublishers);
    /// <summary>Publishers' RTX packets that filled a missing packet and were forwarded.</summary>
    public long RtxRecovered => _counters.Read((int)Counter.RtxRecovered);
    /// <summary>Publishers' RTX packets dropped: not missing (duplicates, probing), padding only, or an unknown payload type.</summary>
    public long RtxDiscarded => _counters.Read((int)Counter.RtxDiscarded);
    /// <summary>Times loss repair toward a publisher gave up on missing packets and asked for a keyframe instead.</summary>
    public long RepairGaveUp => _counters.Read((int)Counter.RepairGaveUp);
    /// <summary>REMB packets sent to publishers without transport-cc.</summary>
    public long RembSent => _counters.Read((int)Counter.RembSent);
    /// <summary>
    /// RTP dropped because it reached another receive loop than its producer's (the publisher's address
    /// moved): dropped until the old loop hands the producer over, a few milliseconds.
    /// </summary>
    public long RtpWhileOwnerMoves => _counters.Read((int)Counter.RtpWhileOwnerMoves);
}
