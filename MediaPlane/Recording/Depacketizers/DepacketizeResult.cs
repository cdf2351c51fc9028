namespace MediaPlane.Recording.Depacketizers;

/// <summary>What one RTP packet did to the frame being rebuilt.</summary>
public enum DepacketizeResult
{
    /// <summary>Taken into the current frame; the frame is not complete yet.</summary>
    Buffered,
    /// <summary>A whole frame is ready in <see cref="RtpDepacketizer.Frame"/> (until the next push).</summary>
    FrameReady,
    /// <summary>Dropped: it belongs to a frame that misses a packet, or the stream waits for a keyframe.</summary>
    Dropped,
    /// <summary>Dropped: the payload is malformed; <see cref="RtpDepacketizer.LastError"/> says why.</summary>
    Invalid,
}
