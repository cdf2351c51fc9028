namespace MediaPlane.Recording;

/// <summary>
/// A container writer (WebM or fragmented MP4). Frames come in per track in timestamp order; tracks may
/// interleave loosely. Times are microseconds on the recording's common timeline. Owned by one thread.
/// </summary>
public interface IRecordingWriter : IDisposable
{
    void WriteFrame(int trackIndex, long timeMicroseconds, ReadOnlySpan<byte> frame, bool keyframe);

    /// <summary>Writes the index (Cues / mfra), patches sizes and the duration, and flushes.</summary>
    void Close();

    /// <summary>Bytes written so far.</summary>
    long BytesWritten { get; }
}
