namespace Grains.Recordings;

/// <summary>
/// Where a media node's finished recording files end up. The embedded and PostgreSQL profiles keep them in the
/// recording directory (<see cref="LocalRecordingStore"/>); the Azure Storage profile uploads them to a blob
/// container (<see cref="BlobRecordingStore"/>).
/// </summary>
public interface IRecordingStore
{
    /// <summary>Stores a finished file; returns its location (the local path, or the blob's URI).</summary>
    Task<string> StoreAsync(string recordingId, string name, string path, CancellationToken cancellationToken);
}

/// <summary>The files stay where the node wrote them.</summary>
public sealed class LocalRecordingStore : IRecordingStore
{
    public Task<string> StoreAsync(string recordingId, string name, string path, CancellationToken cancellationToken) => Task.FromResult(path);
}
