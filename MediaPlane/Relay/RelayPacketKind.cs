namespace MediaPlane.Relay;

/// <summary>What a relay packet carries (byte 1 of the header, see <see cref="RelayPacketReader"/>).</summary>
public enum RelayPacketKind : byte
{
    /// <summary>A plain RTP packet of the stream, as its producer received it (after SRTP decrypt), towards the importer.</summary>
    Rtp = 1,

    /// <summary>Plain RTCP feedback (PLI, FIR) for the stream, from an importer back towards the stream's origin.</summary>
    RtcpFeedback = 2,

    /// <summary>
    /// Empty payload, both ways: importer to origin "I still want this stream" (exports without one expire),
    /// origin to importer "I am still here" (imports whose origin falls silent are dropped).
    /// </summary>
    Keepalive = 3,

    /// <summary>Empty payload, from origin to importer: the stream is no longer published; drop the import.</summary>
    StreamEnded = 4,
}
