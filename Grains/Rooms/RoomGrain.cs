using System.Collections.Immutable;
using Grains.Events;
using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;
using Grains.Signaling;
using Microsoft.Extensions.Logging;

namespace Grains.Rooms;

/// <summary>
/// A room: the authority for its limits and permissions. Every accepted change becomes the room's next
/// event, appended to the event store before the caller gets an answer, then applied to the live state
/// with <see cref="RoomStateProjector"/> (so live state and replay agree), checkpointed in grain state,
/// and passed on to the participant and stream grains.
/// </summary>
/// <remarks>
/// Empty timeout: while an open room has no participants, a grain timer (kept alive, no reminder) is
/// armed for the moment <see cref="RoomOptions.EmptyTimeout"/> runs out and closes the room then. If the
/// silo stops meanwhile, the room is closed as soon as anything activates it again after that moment.
/// </remarks>
public sealed partial class RoomGrain(
    [PersistentState("room", StorageNames.Rtc)] IPersistentState<RoomState> state,
    IRoomEventStore events,
    TimeProvider clock,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain
{
    private const string EmptyTimeoutReason = "empty timeout";
    private IGrainTimer? _emptyTimer;

    private string RoomId => this.GetPrimaryKeyString();

    private RoomSnapshot Snapshot => state.State.Snapshot ??= RoomStateProjector.Empty(RoomId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!RoomIds.IsValid(RoomId))
            return;
        var before = Snapshot;
        var after = before;
        await foreach (var e in events.ReadAllAsync(RoomId, before.LastSequence, cancellationToken))
            after = RoomStateProjector.Apply(after, e);
        if (after.LastSequence != before.LastSequence)
        {
            LogCaughtUp(RoomId, before.LastSequence, after.LastSequence);
            state.State.Snapshot = after;
            UpdateEmptySince(after);
            await state.WriteStateAsync(cancellationToken);
            await SyncViewsAsync(before, after);
            // The directory update may have been lost with the rest.
            await Directory.RegisterAsync(RoomId, after.Status);
        }
        // A view update lost before this activation (the room had committed) is found by reading the views back.
        if (after.Status == RoomStatus.Open)
            await RepairViewsAsync();
        await CheckEmptyTimeoutAsync();
    }

    public async Task<RoomInfo> CreateAsync(RoomOptions options)
    {
        RoomRules.Id(RoomId, "room id");
        RoomRules.Options(options);
        var s = Snapshot;
        if (s.Status == RoomStatus.Closed)
            throw new RoomException(RoomErrorCode.Closed, $"Room '{RoomId}' is closed.");
        if (s.Status == RoomStatus.Open)
        {
            if (s.Options != options)
                throw new RoomException(RoomErrorCode.Conflict, $"Room '{RoomId}' exists with other options.");
        }
        else
        {
            await CommitAsync(new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Created, Options = options });
        }
        await Directory.RegisterAsync(RoomId, RoomStatus.Open);
        return Info(Snapshot);
    }

    public Task<RoomInfo?> GetAsync() =>
        Task.FromResult(Snapshot.Status == RoomStatus.None ? null : Info(Snapshot));

    public async Task CloseAsync(string reason)
    {
        RoomRules.Reason(reason);
        var s = RequireCreated();
        if (s.Status == RoomStatus.Closed)
            return;
        await CommitAsync(new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Closed, Reason = reason ?? "" });
        await Directory.RegisterAsync(RoomId, RoomStatus.Closed);
    }

    /// <summary>A kicked identity stays out until its ban ends, unless an admin brings it in (<see cref="JoinRequest.OverrideBan"/>).</summary>
    private void RequireNotBanned(RoomSnapshot s, JoinRequest request)
    {
        if (!request.OverrideBan && RoomStateProjector.BanOf(s, request.Identity, clock.GetUtcNow()) is { } ban)
            throw new RoomException(RoomErrorCode.Forbidden,
                $"'{request.Identity}' was kicked from room '{RoomId}' and may not join again before {ban.Until:u} unless an admin lets them in.");
    }

    public async Task<ParticipantInfo> JoinAsync(JoinRequest request)
    {
        RoomRules.Join(request);
        var s = RequireOpen();
        if (Find(s.Participants, request.Identity) is not null)
            throw new RoomException(RoomErrorCode.Conflict, $"'{request.Identity}' is already in room '{RoomId}'.");
        RequireNotBanned(s, request);
        if (s.Options.MaxParticipants > 0 && s.Participants.Length >= s.Options.MaxParticipants)
            throw new RoomException(RoomErrorCode.LimitReached, $"Room '{RoomId}' is full ({s.Options.MaxParticipants} participants).");
        await CommitAsync(new RoomEvent
        {
            RoomId = RoomId, Timestamp = default, Type = RoomEventType.Joined,
            Identity = request.Identity, Permissions = request.Permissions, Metadata = request.Metadata ?? "",
        });
        return Find(Snapshot.Participants, request.Identity)!;
    }

    public async Task LeaveAsync(string identity)
    {
        RoomRules.Id(identity, "identity");
        var s = RequireCreated();
        if (Find(s.Participants, identity) is null)
            return;
        await CommitAsync(new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Left, Identity = identity });
    }

    public async Task KickAsync(string identity, string reason)
    {
        RoomRules.Id(identity, "identity");
        RoomRules.Reason(reason);
        var s = RequireOpen();
        if (Find(s.Participants, identity) is null)
            throw new RoomException(RoomErrorCode.NotFound, $"'{identity}' is not in room '{RoomId}'.");
        await CommitAsync(new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Kicked, Identity = identity, Reason = reason ?? "" });
    }


    public async Task UnbanAsync(string identity)
    {
        RoomRules.Id(identity, "identity");
        var s = RequireOpen();
        if (RoomStateProjector.BanOf(s, identity, clock.GetUtcNow()) is null)
            return;
        await CommitAsync(new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Unbanned, Identity = identity });
    }

    public async Task<StreamInfo> PublishAsync(PublishRequest request)
    {
        RoomRules.Publish(request);
        var s = RequireOpen();
        var publisher = Find(s.Participants, request.PublisherIdentity)
            ?? throw new RoomException(RoomErrorCode.NotFound, $"'{request.PublisherIdentity}' is not in room '{RoomId}'.");
        if (!publisher.Permissions.HasFlag(ParticipantPermissions.Publish))
            throw new RoomException(RoomErrorCode.Forbidden, $"'{publisher.Identity}' may not publish.");
        if (s.Streams.Any(x => x.StreamId == request.StreamId))
            throw new RoomException(RoomErrorCode.Conflict, $"Stream '{request.StreamId}' already exists in room '{RoomId}'.");
        bool newPublisher = !s.Streams.Any(x => x.PublisherIdentity == publisher.Identity);
        if (newPublisher && s.Options.MaxPublishers > 0 && RoomStateProjector.PublisherCount(s) >= s.Options.MaxPublishers)
            throw new RoomException(RoomErrorCode.LimitReached, $"Room '{RoomId}' has its {s.Options.MaxPublishers} publishers.");
        await CommitAsync(new RoomEvent
        {
            RoomId = RoomId, Timestamp = default, Type = RoomEventType.Published,
            Identity = request.PublisherIdentity, StreamId = request.StreamId, Kind = request.Kind, Codec = request.Codec,
            Ssrcs = request.Ssrcs.IsDefault ? [] : request.Ssrcs, OriginSilo = request.OriginSilo,
        });
        return Snapshot.Streams.First(x => x.StreamId == request.StreamId);
    }

    public async Task UnpublishAsync(string streamId)
    {
        RoomRules.Id(streamId, "stream id");
        var s = RequireCreated();
        if (!s.Streams.Any(x => x.StreamId == streamId))
            throw new RoomException(RoomErrorCode.NotFound, $"Room '{RoomId}' has no stream '{streamId}'.");
        await CommitAsync(new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Unpublished, StreamId = streamId });
    }

    public async Task<SubscriptionInfo> SubscribeAsync(string subscriberIdentity, string streamId) =>
        (await SubscribeManyAsync(subscriberIdentity, [streamId]))[0];

    public async Task<ImmutableArray<SubscriptionInfo>> SubscribeManyAsync(string subscriberIdentity, ImmutableArray<string> streamIds)
    {
        RoomRules.Id(subscriberIdentity, "subscriber identity");
        if (streamIds.IsDefault)
            throw new RoomException(RoomErrorCode.Invalid, "stream ids are missing.");
        foreach (var streamId in streamIds)
            RoomRules.Id(streamId, "stream id");
        var s = RequireOpen();
        var subscriber = Find(s.Participants, subscriberIdentity)
            ?? throw new RoomException(RoomErrorCode.NotFound, $"'{subscriberIdentity}' is not in room '{RoomId}'.");
        if (!subscriber.Permissions.HasFlag(ParticipantPermissions.Subscribe))
            throw new RoomException(RoomErrorCode.Forbidden, $"'{subscriberIdentity}' may not subscribe.");
        foreach (var streamId in streamIds)
            if (!s.Streams.Any(x => x.StreamId == streamId))
                throw new RoomException(RoomErrorCode.NotFound, $"Room '{RoomId}' has no stream '{streamId}'.");
        // All checked before anything is written: a bad stream id commits nothing.
        var drafts = streamIds.Distinct(StringComparer.Ordinal)
            .Where(streamId => FindSubscription(s, subscriberIdentity, streamId) is null)
            .Select(streamId => new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Subscribed, Identity = subscriberIdentity, StreamId = streamId })
            .ToList();
        await CommitAsync(drafts);
        var after = Snapshot;
        return [.. streamIds.Select(streamId => FindSubscription(after, subscriberIdentity, streamId)!)];
    }

    public async Task UnsubscribeAsync(string subscriberIdentity, string streamId)
    {
        RoomRules.Id(subscriberIdentity, "subscriber identity");
        RoomRules.Id(streamId, "stream id");
        var s = RequireCreated();
        if (FindSubscription(s, subscriberIdentity, streamId) is null)
            return;
        await CommitAsync(new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Unsubscribed, Identity = subscriberIdentity, StreamId = streamId });
    }

    public Task<ImmutableArray<ParticipantInfo>> GetParticipantsAsync() => Task.FromResult(RequireCreated().Participants);

    public Task<ImmutableArray<StreamInfo>> GetStreamsAsync() => Task.FromResult(RequireCreated().Streams);

    public Task<RoomSnapshot> GetSnapshotAsync() => Task.FromResult(Snapshot);

    public async Task<RoomEventPage> GetEventsAsync(long afterSequence, int limit)
    {
        RoomRules.Page(afterSequence, limit);
        var last = RequireCreated().LastSequence;
        var page = await events.ReadAsync(RoomId, afterSequence, limit);
        long? next = page.Length > 0 && page[^1].Sequence < last ? page[^1].Sequence : null;
        return new RoomEventPage(page, next);
    }

    public Task<RoomSnapshot> GetStateAtAsync(DateTimeOffset at)
    {
        RequireCreated();
        return GrainFactory.GetGrain<IRoomHistoryGrain>(IRoomHistoryGrain.Key).GetStateAtAsync(RoomId, at);
    }

    private Task CommitAsync(RoomEvent draft) => CommitAsync([draft]);

    /// <summary>
    /// Numbers and timestamps the events, appends them to the log one by one (each append is the point of no return
    /// for its event), then applies what was appended to the live state with one checkpoint, one view update and the
    /// empty-room timer, and notifies clients in log order. A batch costs one state write however many events it has,
    /// which is what keeps parallel joins from queueing behind each other's writes. If an append fails part way, the
    /// events already appended are still applied and checkpointed before the failure is thrown.
    /// </summary>
    private async Task CommitAsync(IReadOnlyList<RoomEvent> drafts)
    {
        var before = Snapshot;
        var current = before;
        var appended = new List<(RoomEvent Event, RoomSnapshot Before)>(drafts.Count);
        Exception? failure = null;
        foreach (var draft in drafts)
        {
            var now = clock.GetUtcNow();
            // Timestamps strictly increase within a room, even if the clock steps back: replay "at" an event's
            // timestamp then yields exactly the state after that event.
            if (current.AsOf is { } last && now <= last)
                now = last.AddTicks(1);
            var e = draft with { Sequence = current.LastSequence + 1, Timestamp = now };
            try
            {
                await events.AppendAsync(e);
            }
            catch (EventSequenceConflictException)
            {
                // Another activation wrote this sequence (e.g. a duplicate activation during a membership
                // change): drop this activation so the next call rebuilds from the log.
                DeactivateOnIdle();
                failure = new RoomException(RoomErrorCode.Conflict, $"Room '{RoomId}' changed concurrently; retry.");
                break;
            }
            catch (Exception appendFailure) when (appended.Count > 0)
            {
                failure = appendFailure;
                break;
            }
            appended.Add((e, current));
            current = RoomStateProjector.Apply(current, e);
        }
        if (appended.Count > 0)
        {
            state.State.Snapshot = current;
            UpdateEmptySince(current);
            await state.WriteStateAsync();
            // Found before the views forget them; told once the views are right.
            var endings = await ModeratedSessions.FindAsync(GrainFactory, before, appended.Select(a => a.Event));
            await SyncViewsAsync(before, current);
            ModeratedSessions.End(GrainFactory, endings);
            foreach (var (e, eventBefore) in appended)
                await NotifyAsync(e, eventBefore);
            await CheckEmptyTimeoutAsync();
        }
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>
    /// Tells the room's clients (the room-notify stream) about a committed event. Awaited, so clients see
    /// events in log order; a failure is logged and never fails the change, which is already in the log.
    /// </summary>
    private async Task NotifyAsync(RoomEvent e, RoomSnapshot before)
    {
        if (RoomNotifications.From(e, before) is not { } notification)
            return;
        try
        {
            if (SignalingStreams.TryGetProvider(ServiceProvider) is { } streams)
                await streams.RoomNotify(RoomId).OnNextAsync(notification);
        }
        catch (Exception ex)
        {
            LogNotifyFailed(ex, RoomId, e.Sequence);
        }
    }

    private void UpdateEmptySince(RoomSnapshot s)
    {
        if (s.Status == RoomStatus.Open && s.Participants.IsEmpty)
            state.State.EmptySince ??= s.AsOf;
        else
            state.State.EmptySince = null;
    }

    /// <summary>Closes the room if its empty timeout has run out; otherwise arms the timer for that moment.</summary>
    private async Task CheckEmptyTimeoutAsync()
    {
        _emptyTimer?.Dispose();
        _emptyTimer = null;
        var s = Snapshot;
        if (s.Status != RoomStatus.Open || state.State.EmptySince is not { } since || s.Options.EmptyTimeout <= TimeSpan.Zero)
            return;
        var remaining = since + s.Options.EmptyTimeout - clock.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            LogEmptyTimeout(RoomId);
            await CloseAsync(EmptyTimeoutReason);
            return;
        }
        // A timer cannot wait past ~49 days; a long timeout re-arms at most daily.
        var due = remaining < TimeSpan.FromDays(1) ? remaining : TimeSpan.FromDays(1);
        _emptyTimer = this.RegisterGrainTimer(CheckEmptyTimeoutAsync,
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    private RoomSnapshot RequireCreated()
    {
        var s = Snapshot;
        if (s.Status == RoomStatus.None)
            throw new RoomException(RoomErrorCode.NotFound, $"Room '{RoomId}' does not exist.");
        return s;
    }

    private RoomSnapshot RequireOpen()
    {
        var s = RequireCreated();
        if (s.Status == RoomStatus.Closed)
            throw new RoomException(RoomErrorCode.Closed, $"Room '{RoomId}' is closed.");
        return s;
    }

    private IRoomDirectoryGrain Directory => GrainFactory.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key);

    private static ParticipantInfo? Find(ImmutableArray<ParticipantInfo> participants, string identity) =>
        participants.FirstOrDefault(p => p.Identity == identity);

    private static SubscriptionInfo? FindSubscription(RoomSnapshot s, string subscriber, string streamId) =>
        s.Subscriptions.FirstOrDefault(x => x.StreamId == streamId && x.SubscriberIdentity == subscriber);

    private static RoomInfo Info(RoomSnapshot s) => new(s.RoomId, s.Status, s.Options, s.CreatedAt ?? default, s.ClosedAt,
        s.Participants.Length, RoomStateProjector.PublisherCount(s), s.Streams.Length);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Room {RoomId} caught up from its log: events {From} to {To}")]
    private partial void LogCaughtUp(string roomId, long from, long to);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Room {RoomId} closed after its empty timeout")]
    private partial void LogEmptyTimeout(string roomId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Room {RoomId}: notifying clients of event {Sequence} failed")]
    private partial void LogNotifyFailed(Exception e, string roomId, long sequence);
}
