using MediaPlane.Contracts;
using System.Collections.Concurrent;
using MediaPlane.Routing;
using MediaPlane.WebRtc;

namespace MediaPlane.Recording.Live;

/// <summary>The recordings of one media node, by id (control threads only; each recording has its own writer thread).</summary>
internal sealed class Recorder(Router router) : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private readonly ConcurrentDictionary<string, LiveRecording> _recordings = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count => _recordings.Count(r => !r.Value.Stopped);

    /// <summary>Starts the recording or adds to it; see <see cref="LiveRecordingRequest"/>.</summary>
    public LiveRecordingStatus Record(LiveRecordingRequest request)
    {
        var files = request.Files.Select(f => (f.Name, Producers: f.StreamIds.Select(FindProducer).ToList())).ToList();
        LiveRecording recording;
        lock (_lock)
        {
            if (_recordings.TryGetValue(request.RecordingId, out var existing) && existing.Stopped)
            {
                existing.Dispose();
                _recordings.TryRemove(request.RecordingId, out _);
                existing = null;
            }
            recording = existing ?? new LiveRecording(request.RecordingId, request.Directory, request.Container);
            _recordings[request.RecordingId] = recording;
        }
        if (recording.Container != request.Container)
            throw new MediaSessionException($"Recording '{request.RecordingId}' is {recording.Container}.");
        try
        {
            foreach (var (name, producers) in files)
                recording.Record(name, producers);
        }
        catch (MediaSessionException) when (recording.Status().Files.Count == 0)
        {
            Stop(request.RecordingId); // nothing was started: leave no empty recording behind
            throw;
        }
        return recording.Status();
    }

    private Producer FindProducer(string streamId) =>
        router.TryGetProducer(streamId, out var producer) && producer is not null
            ? producer
            : throw new MediaSessionException($"Stream '{streamId}' is not on this node.");

    public LiveRecordingStatus? Status(string recordingId) =>
        _recordings.TryGetValue(recordingId, out var recording) ? recording.Status() : null;

    /// <summary>Finishes the recording's files; null when there is no such recording.</summary>
    public LiveRecordingStatus? Stop(string recordingId)
    {
        if (!_recordings.TryRemove(recordingId, out var recording))
            return null;
        var status = recording.Stop(StopTimeout);
        recording.Dispose();
        return status;
    }

    public IReadOnlyList<string> Ids() => [.. _recordings.Keys];

    public void Dispose()
    {
        foreach (var id in Ids())
            Stop(id);
    }
}
