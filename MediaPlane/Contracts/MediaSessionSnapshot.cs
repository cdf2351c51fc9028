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
