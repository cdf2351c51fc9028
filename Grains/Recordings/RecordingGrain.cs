using MediaPlane.Contracts;
using System.Collections.Immutable;
using Grains.Interfaces.Events;
using Grains.Interfaces.Media;
using Grains.Interfaces.Recordings;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Microsoft.Extensions.Logging;

namespace Grains.Recordings;

/// <summary>
/// One recording (see <see cref="IRecordingGrain"/>). It chooses the streams (one file per participant: their newest
/// video and audio), asks the media node that serves them to write, and every <see cref="RefreshPeriod"/> while
/// recording: reads the nodes' files (sizes, durations, errors), gives a participant who came back with new streams
/// the same file (a gap, not a new file) or, when their streams are now served by another node (the first died), a
/// new part there. Every file failed (a full disk) → the recording fails with that error in the room log.
/// </summary>
public sealed partial class RecordingGrain(
    [PersistentState("recording", StorageNames.Rtc)] IPersistentState<RecordingGrainState> state,
    TimeProvider clock,
    ILogger<RecordingGrain> logger) : Grain, IRecordingGrain
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(1);
    private IGrainTimer? _refresh;

    private string RecordingId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Status == RecordingStatus.Recording)
            StartRefreshing(); // reactivated elsewhere (its silo died): carry on
        return Task.CompletedTask;
    }

    public Task<RecordingInfo?> GetAsync() => Task.FromResult(Info());

    public async Task<RecordingInfo> StartAsync(RecordingSpec spec)
    {
        if (Info() is { } existing)
            return existing;
        if (!RoomIds.IsValid(RecordingId))
            throw new RecordingException($"'{RecordingId}' is not a valid recording id.");
        string container = spec.Container?.ToLowerInvariant() ?? "";
        if (container is not ("webm" or "mp4"))
            throw new RecordingException("container must be \"webm\" or \"mp4\".");
        spec = spec with
        {
            Container = container,
            Participants = spec.Participants.IsDefault ? [] : spec.Participants,
            StreamIds = spec.StreamIds.IsDefault ? [] : spec.StreamIds,
        };
        var room = GrainFactory.GetGrain<IRoomGrain>(spec.RoomId);
        if (await room.GetAsync() is not { Status: RoomStatus.Open })
            throw new RecordingNotFoundException($"Room '{spec.RoomId}' is not open.");
        var wanted = Choose(await room.GetStreamsAsync(), spec);
        if (wanted.Count == 0)
            throw new RecordingException("Nothing to record: no published track on a media node matches.");

        state.State.Spec = spec;
        state.State.Status = RecordingStatus.Recording;
        state.State.StartedAt = clock.GetUtcNow();
        await FollowStreamsAsync(wanted);
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRoomRecordingsGrain>(spec.RoomId).AddAsync(RecordingId);
        await LogAsync(RoomEventType.RecordingStarted, null);
        StartRefreshing();
        return Info()!;
    }

    public async Task<RecordingInfo> StopAsync()
    {
        if (state.State.Spec is null)
            throw new RecordingNotFoundException($"No recording '{RecordingId}'.");
        if (state.State.Status != RecordingStatus.Recording)
            return Info()!;
        _refresh?.Dispose();
        _refresh = null;
        foreach (var nodeId in ActiveNodes())
        {
            try
            {
                Update(nodeId, await Node(nodeId).StopRecordingAsync(RecordingId));
            }
            catch (Exception e) when (e is not RecordingException)
            {
                LogNodeUnreachable(e, RecordingId, nodeId);
                MarkLost(nodeId);
            }
        }
        state.State.Status = RecordingStatus.Stopped;
        state.State.StoppedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        await LogAsync(RoomEventType.RecordingStopped, null);
        return Info()!;
    }

    private void StartRefreshing() =>
        _refresh ??= this.RegisterGrainTimer(RefreshAsync, new GrainTimerCreationOptions { DueTime = RefreshPeriod, Period = RefreshPeriod, KeepAlive = true });

    private async Task RefreshAsync()
    {
        if (state.State.Status != RecordingStatus.Recording || state.State.Spec is not { } spec)
            return;
        try
        {
            await FollowStreamsAsync(Choose(await GrainFactory.GetGrain<IRoomGrain>(spec.RoomId).GetStreamsAsync(), spec));
            foreach (var nodeId in ActiveNodes())
            {
                try
                {
                    Update(nodeId, await Node(nodeId).RecordingStatusAsync(RecordingId));
                }
                catch (Exception e)
                {
                    LogNodeUnreachable(e, RecordingId, nodeId);
                    MarkLost(nodeId);
                }
            }
            var files = state.State.Files;
            if (files.Count > 0 && files.All(f => f.State == "failed"))
            {
                state.State.Status = RecordingStatus.Failed;
                state.State.StoppedAt = clock.GetUtcNow();
                state.State.Error = files.Select(f => f.Error).FirstOrDefault(e => e is not null) ?? "every file failed";
                foreach (var nodeId in files.Select(f => f.NodeId).Distinct())
                    await StopQuietlyAsync(nodeId);
                await state.WriteStateAsync();
                await LogAsync(RoomEventType.RecordingFailed, state.State.Error);
                _refresh?.Dispose();
                _refresh = null;
                return;
            }
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            LogRefreshFailed(e, RecordingId); // the next round tries again
        }
    }

    /// <summary>
    /// Gives each participant's chosen streams a file: the participant's latest part when those streams are on the
    /// same node (the same streams: nothing to do; new ones: the participant came back, the file goes on), else a
    /// new part on the streams' node.
    /// </summary>
    private async Task FollowStreamsAsync(IReadOnlyList<(string Identity, string NodeId, ImmutableArray<string> StreamIds)> wanted)
    {
        string extension = state.State.Spec!.Container;
        foreach (var (identity, nodeId, streamIds) in wanted)
        {
            var files = state.State.Files;
            var latest = files.LastOrDefault(f => f.Identity == identity);
            if (latest is not null && latest.NodeId == nodeId && latest.StreamIds.ToHashSet().SetEquals(streamIds))
                continue;
            bool samePart = latest is not null && latest.NodeId == nodeId && latest.State is not ("failed" or "lost");
            int part = latest is null ? 1 : samePart ? latest.Part : latest.Part + 1;
            string name = part == 1 ? $"{identity}.{extension}" : $"{identity}.part{part}.{extension}";
            var request = new NodeRecordingRequest(RecordingId, extension, [new NodeRecordedFile(name, streamIds)]);
            var file = samePart ? latest! with { StreamIds = streamIds }
                : new RecordingFile(name, identity, part, nodeId, "waiting", null, 0, 0, null, null, streamIds);
            try
            {
                await Node(nodeId).RecordAsync(request);
            }
            catch (Exception e)
            {
                file = file with { State = "failed", Error = e is MediaNodeException ? e.Message : $"media node unreachable: {e.Message}" };
            }
            if (samePart)
                files[files.IndexOf(latest!)] = file;
            else
                files.Add(file);
        }
    }

    /// <summary>Per participant (whole room, or those named, or owners of the named streams): the newest video and audio on one node.</summary>
    private static List<(string Identity, string NodeId, ImmutableArray<string> StreamIds)> Choose(ImmutableArray<StreamInfo> streams, RecordingSpec spec)
    {
        bool everything = spec.Participants.IsEmpty && spec.StreamIds.IsEmpty;
        var result = new List<(string, string, ImmutableArray<string>)>();
        var chosen = streams.Where(s => s.OriginSilo.Length > 0
            && (everything || spec.Participants.Contains(s.PublisherIdentity) || spec.StreamIds.Contains(s.StreamId)));
        foreach (var participant in chosen.GroupBy(s => s.PublisherIdentity).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var newest = participant.OrderByDescending(s => s.PublishedAt).ToList();
            var video = newest.FirstOrDefault(s => s.Kind == StreamKind.Video);
            string nodeId = (video ?? newest[0]).OriginSilo;
            var audio = newest.FirstOrDefault(s => s.Kind == StreamKind.Audio && s.OriginSilo == nodeId);
            ImmutableArray<string> ids = [.. new[] { video, audio }.Where(s => s is not null && s.OriginSilo == nodeId).Select(s => s!.StreamId)];
            result.Add((participant.Key, nodeId, ids));
        }
        return result;
    }

    private IEnumerable<string> ActiveNodes() =>
        state.State.Files.Where(f => f.State is "waiting" or "recording").Select(f => f.NodeId).Distinct().ToList();

    private void Update(string nodeId, ImmutableArray<NodeRecordedFileStatus> statuses)
    {
        var files = state.State.Files;
        foreach (var status in statuses)
        {
            int index = files.FindIndex(f => f.NodeId == nodeId && f.Name == status.Name);
            if (index >= 0)
                files[index] = files[index] with
                {
                    State = status.State, StartedAt = status.StartedAt, DurationSeconds = status.DurationSeconds, Bytes = status.Bytes,
                    Error = status.Error, Location = status.Location,
                };
        }
    }

    /// <summary>The node is gone: its files end where they were last seen (complete up to their last cluster or fragment).</summary>
    private void MarkLost(string nodeId)
    {
        var files = state.State.Files;
        for (int i = 0; i < files.Count; i++)
        {
            if (files[i].NodeId == nodeId && files[i].State is "waiting" or "recording")
                files[i] = files[i] with { State = "lost", Error = "media node lost" };
        }
    }

    private async Task StopQuietlyAsync(string nodeId)
    {
        try
        {
            await Node(nodeId).StopRecordingAsync(RecordingId);
        }
        catch (Exception e)
        {
            LogNodeUnreachable(e, RecordingId, nodeId);
        }
    }

    private IMediaNodeGrain Node(string nodeId) => GrainFactory.GetGrain<IMediaNodeGrain>(nodeId);

    private async Task LogAsync(RoomEventType type, string? reason)
    {
        try
        {
            await GrainFactory.GetGrain<IRoomGrain>(state.State.Spec!.RoomId).LogRecordingAsync(type, RecordingId, reason);
        }
        catch (Exception e)
        {
            LogEventFailed(e, RecordingId, type);
        }
    }

    private RecordingInfo? Info()
    {
        var s = state.State;
        return s.Spec is null ? null : new RecordingInfo(RecordingId, s.Spec, s.Status, s.StartedAt, s.StoppedAt, s.Error, [.. s.Files]);
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Recording {RecordingId}: media node {NodeId} unreachable")]
    private partial void LogNodeUnreachable(Exception e, string recordingId, string nodeId);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Recording {RecordingId}: refresh failed")]
    private partial void LogRefreshFailed(Exception e, string recordingId);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Recording {RecordingId}: logging {Type} in the room failed")]
    private partial void LogEventFailed(Exception e, string recordingId, RoomEventType type);
}
