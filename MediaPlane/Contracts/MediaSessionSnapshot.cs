namespace MediaPlane.Contracts;

/// <summary>
/// One connected session's counters at one moment: what the control plane reads of the media plane
/// (the media node's <c>SnapshotSessions</c>), as data, never the objects that count.
/// </summary>
/// <param name="Published">The session's published tracks, in the order of its request.</param>
/// <param name="PacketsSent">RTP sent to the session for all its subscribed tracks.</param>
/// <param name="OctetsSent">Their payload bytes.</param>
public sealed record MediaSessionSnapshot(
    string SessionId,
    IReadOnlyList<PublishedTrackSnapshot> Published,
    long PacketsSent,
    long OctetsSent);

/// <summary>One published track's receive counters (RFC 3550 §A.3 for the loss).</summary>
public readonly record struct PublishedTrackSnapshot(string StreamId, long PacketsReceived, long OctetsReceived, long PacketsLost);

/// <summary>
/// One subscription of a session: for a simulcast track the RID forwarded now (null before the first keyframe),
/// the one asked for, and every layer with its received bitrate (0: not sent now); for a plain track all null/empty.
/// </summary>
public sealed record SubscriptionSnapshot(string StreamId, string? CurrentRid, string? RequestedRid, IReadOnlyList<SubscriptionLayer> Layers);

/// <summary>A simulcast layer by RID and its bitrate as received from the publisher.</summary>
public readonly record struct SubscriptionLayer(string Rid, long BitsPerSecond);
