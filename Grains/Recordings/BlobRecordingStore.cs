using Azure.Storage.Blobs;

namespace Grains.Recordings;

/// <summary>
/// Azure Storage profile: a finished file is uploaded as blob <c>{recordingId}/{name}</c> of the container
/// ("Recording:BlobContainer", default <see cref="DefaultContainer"/>), then the local copy is deleted.
/// </summary>
public sealed class BlobRecordingStore(BlobContainerClient container) : IRecordingStore
{
    public const string DefaultContainer = Interfaces.Recordings.RecordingBlobs.DefaultContainer;

    private int _created;

    public async Task<string> StoreAsync(string recordingId, string name, string path, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _created, 1) == 0)
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var blob = container.GetBlobClient(Interfaces.Recordings.RecordingBlobs.Name(recordingId, name));
        await blob.UploadAsync(path, overwrite: true, cancellationToken);
        File.Delete(path);
        return blob.Uri.ToString();
    }
}
