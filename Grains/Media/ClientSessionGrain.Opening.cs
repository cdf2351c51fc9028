using System.Collections.Immutable;
using System.Diagnostics;
using Grains.Interfaces.Media;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Limits;
using Microsoft.Extensions.Logging;

namespace Grains.Media;

/// <summary>
/// Opening a session (<see cref="IClientSessionGrain.OpenAsync"/>): one room call (join, publish or subscribe),
/// relay imports, the session on the chosen node, the record. Each step that fails undoes the ones before it,
/// in reverse. The grain is not reentrant, so a retry that arrives while the first open runs waits for it and
/// then gets its answer. A silo that dies half way leaves what it did (as before this moved here from the gateway).
/// </summary>
public sealed partial class ClientSessionGrain
{
    public async Task<OpenedSession> OpenAsync(OpenSessionRequest request)
    {
        CheckRequest(request);
        if (state.State.Session is { } recorded)
            return Repeat(recorded, request);

        long start = Stopwatch.GetTimestamp();
        var room = GrainFactory.GetGrain<IRoomGrain>(request.RoomId);
        // All checked before anything is written: a refusal here leaves nothing to undo.
        var entry = await room.JoinWithMediaAsync(RoomRequest(request));
        long joined = Stopwatch.GetTimestamp(), imported = joined;
        bool openOnNode = false;
        try
        {
            if (request.Kind == ClientSessionKind.Subscribe)
            {
                await ImportAsync(request.NodeId, request.RoomId, entry.Streams);
                imported = Stopwatch.GetTimestamp();
            }
            var grant = await OpenOnNodeAsync(request.NodeId, request.Spec);
            long opened = Stopwatch.GetTimestamp();
            openOnNode = true;
            state.State.Grant = grant;
            var info = new ClientSessionInfo
            {
                SessionId = request.Spec.SessionId, RoomId = request.RoomId, Identity = request.Identity, Kind = request.Kind,
                NodeId = grant.NodeId, StreamIds = [.. entry.Streams.Select(s => s.StreamId)], Status = ClientSessionStatus.Opening,
                CreatedAt = DateTimeOffset.UtcNow, ETag = request.ETag,
            };
            await RecordAsync(info);
            if (state.State.Session is { Status: ClientSessionStatus.Closed } ended)
                throw new RoomException(RoomErrorCode.Forbidden, $"'{request.Identity}' is no longer in room '{request.RoomId}' ({ended.CloseReason}).");
            SessionLifecycleLog.Opened(logger, info);
            if (logger.IsEnabled(LogLevel.Debug))
                LogOpened(logger, request.Spec.SessionId, request.RoomId, Ms(start, joined), Ms(joined, imported), Ms(imported, opened),
                    Ms(opened, Stopwatch.GetTimestamp()), Ms(start, Stopwatch.GetTimestamp()));
            return new OpenedSession(grant, request.ETag);
        }
        catch (Exception failure)
        {
            LogOpenFailed(logger, failure, request.Spec.SessionId, request.RoomId);
            await UndoOpenAsync(request, entry, openOnNode);
            throw;
        }
    }

    private static double Ms(long from, long to) => Math.Round(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds, 1);

    private void CheckRequest(OpenSessionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Spec.SessionId != this.GetPrimaryKeyString())
            throw new ArgumentException("The session id of the spec must be the grain's key.", nameof(request));
        bool tracksMatchKind = request.Kind == ClientSessionKind.Publish
            ? request.Spec.Subscribe.IsDefaultOrEmpty && !request.Spec.Publish.IsDefaultOrEmpty
            : request.Spec.Publish.IsDefaultOrEmpty && !request.Spec.Subscribe.IsDefaultOrEmpty;
        if (!tracksMatchKind)
            throw new ArgumentException("A WHIP session publishes and a WHEP session receives at least one track, and nothing else.", nameof(request));
    }

    /// <summary>A retried open: the first answer, when it was the same client's open of the same session.</summary>
    private OpenedSession Repeat(ClientSessionInfo recorded, OpenSessionRequest request)
    {
        if (recorded.RoomId != request.RoomId || recorded.Identity != request.Identity || recorded.Kind != request.Kind)
            throw new RoomException(RoomErrorCode.Conflict, $"Session '{recorded.SessionId}' exists for another room, participant or direction.");
        if (recorded.Status == ClientSessionStatus.Closed || state.State.Grant is not { } grant)
            throw new MediaNodeException($"Session '{recorded.SessionId}' is closed ({recorded.CloseReason ?? "not opened here"}); open a new one.");
        return new OpenedSession(grant, recorded.ETag);
    }

    private static MediaJoinRequest RoomRequest(OpenSessionRequest request)
    {
        var publish = request.Kind == ClientSessionKind.Publish
            ? request.Spec.Publish.Select(t => new PublishRequest(request.Identity, t.StreamId, t.Kind, t.Codec,
                t.RtxSsrc is { } rtx ? [t.Ssrc, rtx] : [t.Ssrc], request.NodeId)).ToImmutableArray()
            : [];
        var subscribe = request.Kind == ClientSessionKind.Subscribe ? request.Spec.Subscribe.Select(t => t.StreamId).ToImmutableArray() : [];
        return new MediaJoinRequest(new JoinRequest(request.Identity, request.Permissions, OverrideBan: request.OverrideBan),
            request.CreateRoom ? RoomOptions.Default : null, publish, subscribe);
    }

    /// <summary>Streams published on other nodes reach the subscriber's node over the relay, once per node.</summary>
    private async Task ImportAsync(string nodeId, string roomId, ImmutableArray<StreamInfo> streams)
    {
        var node = GrainFactory.GetGrain<IMediaNodeGrain>(nodeId);
        foreach (var stream in streams.Where(s => s.OriginSilo != nodeId))
        {
            try
            {
                await node.ImportTrackAsync(roomId, stream.StreamId, stream.OriginSilo);
            }
            catch (OrleansException e)
            {
                LogImportFailed(logger, e, stream.StreamId, stream.OriginSilo, nodeId);
                throw new MediaNodeException("A stream's media node is not available; try again.");
            }
        }
    }

    private async Task<MediaSessionGrant> OpenOnNodeAsync(string nodeId, MediaSessionSpec spec)
    {
        try
        {
            return await GrainFactory.GetGrain<IMediaNodeGrain>(nodeId).OpenSessionAsync(spec);
        }
        catch (OrleansException e)
        {
            LogNodeUnreachable(logger, e, nodeId);
            throw new MediaNodeException("The chosen media node is not available; try again.");
        }
    }

    /// <summary>
    /// Undoes a failed open, last step first: the record (closed, and taken off the participant and the node's index),
    /// the node's session, the streams, and the participant when this open joined it and it has nothing else left (one
    /// who was in the room before stays). Imports need no undo (an import without subscribers is dropped). Each undo
    /// that fails is logged and the next one still runs; the open's own error is what the caller sees.
    /// </summary>
    private async Task UndoOpenAsync(OpenSessionRequest request, MediaJoinResult entry, bool openOnNode)
    {
        string sessionId = request.Spec.SessionId;
        SessionQuotas.Release(GrainFactory, request.RoomId, sessionId);
        if (state.State.Session is { } recorded)
        {
            await UndoStepAsync(request, async () =>
            {
                state.State.Session = recorded with { Status = ClientSessionStatus.Closed, CloseReason = "opening failed" };
                await state.WriteStateAsync();
            });
            await UndoStepAsync(request, () => Participant(recorded).RemoveSessionAsync(sessionId));
            await UndoStepAsync(request, () => NodeIndex(request.NodeId).RemoveAsync(sessionId));
        }
        else
        {
            state.State.Grant = null;
        }
        if (openOnNode)
            await UndoStepAsync(request, () => GrainFactory.GetGrain<IMediaNodeGrain>(request.NodeId).CloseSessionAsync(sessionId));
        var room = GrainFactory.GetGrain<IRoomGrain>(request.RoomId);
        await UndoStepAsync(request, async () =>
        {
            foreach (var stream in entry.Streams)
            {
                if (request.Kind == ClientSessionKind.Publish)
                    await room.UnpublishAsync(stream.StreamId);
                else
                    await room.UnsubscribeAsync(request.Identity, stream.StreamId);
            }
            var participant = GrainFactory.GetGrain<IParticipantGrain>(RoomIds.ParticipantKey(request.RoomId, request.Identity));
            if (entry.Joined && (await participant.GetPublishedAsync()).IsEmpty && (await participant.GetSubscriptionsAsync()).IsEmpty)
                await room.LeaveAsync(request.Identity);
        });
    }

    private async Task UndoStepAsync(OpenSessionRequest request, Func<Task> undo)
    {
        try
        {
            await undo();
        }
        catch (Exception e)
        {
            LogUndoFailed(logger, e, request.Spec.SessionId, request.RoomId);
        }
    }

    /// <summary>Where an open's time went, at Debug (category Grains.Media.ClientSessionGrain), to take a slow join apart.</summary>
    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug,
        Message = "Session {SessionId} in {RoomId} opened: room {Room} ms, import {Import} ms, node {Node} ms, record {Record} ms, total {Total} ms")]
    private static partial void LogOpened(ILogger logger, string sessionId, string roomId, double room, double import, double node, double record, double total);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Opening session {SessionId} in room {RoomId} failed; undoing its steps")]
    private static partial void LogOpenFailed(ILogger logger, Exception e, string sessionId, string roomId);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Undoing the failed open of session {SessionId} in room {RoomId} failed")]
    private static partial void LogUndoFailed(ILogger logger, Exception e, string sessionId, string roomId);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Relaying stream {StreamId} from node {Origin} to {NodeId} failed")]
    private static partial void LogImportFailed(ILogger logger, Exception e, string streamId, string origin, string nodeId);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Media node {NodeId} could not be reached")]
    private static partial void LogNodeUnreachable(ILogger logger, Exception e, string nodeId);
}
