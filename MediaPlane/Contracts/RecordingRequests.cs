namespace MediaPlane.Contracts;

/// <summary>The file format of a recording: WebM (VP8, VP9, AV1 + Opus) or fragmented MP4 (H.264, AV1 + Opus).</summary>
public enum RecordingContainer
{
    WebM,
    Mp4,
}

/// <summary>
/// Records streams of this node into files under <paramref name="Directory"/>, one file per entry of
/// <paramref name="Files"/> (normally one per participant: their video and audio). Asking again for the same
/// recording id adds files, or gives an existing file new streams (a participant who came back: the file
/// goes on after a gap).
/// </summary>
public sealed record LiveRecordingRequest(string RecordingId, string Directory, RecordingContainer Container,
    IReadOnlyList<RecordedFileRequest> Files);

/// <param name="Name">The file name (no directory), e.g. <c>alice.webm</c>.</param>
/// <param name="StreamIds">At most one video and one audio stream, published or imported on this node.</param>
public sealed record RecordedFileRequest(string Name, IReadOnlyList<string> StreamIds);

public enum RecordedFileState
{
    /// <summary>Waiting for the first video keyframe (or audio frame, for audio only).</summary>
    Waiting,
    Recording,
    /// <summary>Closed and complete (indexed, sizes patched).</summary>
    Finished,
    /// <summary>Stopped by an error (see the error text): what was written before stays playable.</summary>
    Failed,
}

/// <summary>One file of a recording, as it is now.</summary>
/// <param name="StartedAtUnixMicros">Wall-clock time of the file's time 0 (its first frame); 0 before it.</param>
/// <param name="DurationMicros">Time of the last frame written.</param>
public sealed record RecordedFileStatus(string Name, string Path, RecordedFileState State, long StartedAtUnixMicros,
    long DurationMicros, long Bytes, long FramesWritten, long PacketsLost, string? Error);

public sealed record LiveRecordingStatus(string RecordingId, RecordingContainer Container, bool Stopped,
    IReadOnlyList<RecordedFileStatus> Files);
