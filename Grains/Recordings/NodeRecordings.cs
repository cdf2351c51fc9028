using MediaPlane.Contracts;
using System.Collections.Immutable;
using Grains.Interfaces.Media;
using Grains.Interfaces.Recordings;
using Grains.Media;
using MediaPlane.WebRtc;

namespace Grains.Recordings;

/// <summary>
/// The media node's side of recordings: turns a recording grain's request into files under this node's recording
/// directory (one folder per recording) and reports them back. Used by <see cref="MediaNodeGrain"/>.
/// </summary>
public static class NodeRecordings
{
    public static ImmutableArray<NodeRecordedFileStatus> Record(IMediaNode node, MediaNodeOptions options, NodeRecordingRequest request)
    {
        if (!TryParseContainer(request.Container, out var container))
            throw new MediaNodeException($"Unknown container '{request.Container}': webm or mp4.");
        var directory = Path.Combine(Path.GetFullPath(options.RecordingDirectory), request.RecordingId);
        try
        {
            var status = node.Record(new LiveRecordingRequest(request.RecordingId, directory, container,
                [.. request.Files.Select(f => new RecordedFileRequest(f.Name, f.StreamIds))]));
            return ToStatus(status);
        }
        catch (MediaSessionException e)
        {
            throw new MediaNodeException(e.Message);
        }
        catch (IOException e)
        {
            throw new MediaNodeException($"Recording storage unusable: {e.Message}");
        }
    }

    public static ImmutableArray<NodeRecordedFileStatus> ToStatus(LiveRecordingStatus? status) =>
        status is null ? [] : [.. status.Files.Select(f => new NodeRecordedFileStatus(
            f.Name,
            f.State.ToString().ToLowerInvariant(),
            f.StartedAtUnixMicros == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks(f.StartedAtUnixMicros * 10),
            f.DurationMicros / 1e6,
            f.Bytes,
            f.Error,
            f.Path))];

    /// <summary>Hands each finished file to the store (an upload on the Azure profile); a failed upload leaves the local file and says so.</summary>
    public static async Task<ImmutableArray<NodeRecordedFileStatus>> StoreAsync(IRecordingStore store, string recordingId,
        ImmutableArray<NodeRecordedFileStatus> files)
    {
        var stored = ImmutableArray.CreateBuilder<NodeRecordedFileStatus>(files.Length);
        foreach (var file in files)
        {
            if (file.State != "finished")
            {
                stored.Add(file);
                continue;
            }
            try
            {
                stored.Add(file with { Location = await store.StoreAsync(recordingId, file.Name, file.Location, CancellationToken.None) });
            }
            catch (Exception e)
            {
                stored.Add(file with { Error = $"storing the file failed: {e.Message}" });
            }
        }
        return stored.MoveToImmutable();
    }

    public static bool TryParseContainer(string? text, out RecordingContainer container)
    {
        container = text?.ToLowerInvariant() switch
        {
            "webm" => RecordingContainer.WebM,
            "mp4" => RecordingContainer.Mp4,
            _ => (RecordingContainer)(-1),
        };
        return container >= 0;
    }
}
