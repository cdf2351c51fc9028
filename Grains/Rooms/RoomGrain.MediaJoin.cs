using System.Collections.Immutable;
using Grains.Events;
using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Rooms;
using Grains.Interfaces.Streams;

namespace Grains.Rooms;

/// <summary>
/// A WHIP/WHEP session's room changes as one call (<see cref="IRoomGrain.JoinWithMediaAsync"/>): the same checks
/// as <see cref="JoinAsync"/>, <see cref="PublishAsync"/> and <see cref="SubscribeManyAsync"/>, all made before
/// the first event is written, then one batch (one checkpoint). A separate file only to keep RoomGrain.cs short.
/// </summary>
public sealed partial class RoomGrain
{
    public async Task<MediaJoinResult> JoinWithMediaAsync(MediaJoinRequest request)
    {
        if (request is null)
            throw new RoomException(RoomErrorCode.Invalid, "a media join request is required.");
        RoomRules.Join(request.Join);
        var publish = request.Publish.IsDefault ? [] : request.Publish;
        var subscribe = request.Subscribe.IsDefault ? [] : request.Subscribe;
        string identity = request.Join.Identity;
        foreach (var p in publish)
        {
            RoomRules.Publish(p);
            if (p.PublisherIdentity != identity)
                throw new RoomException(RoomErrorCode.Invalid, "every stream must be published by the joining identity.");
        }
        foreach (var streamId in subscribe)
            RoomRules.Id(streamId, "stream id");
        if (request.CreateWith is { } options && Snapshot.Status == RoomStatus.None)
            await CreateAsync(options);

        var s = RequireOpen();
        var drafts = new List<RoomEvent>();
        var present = Find(s.Participants, identity);
        var permissions = present?.Permissions ?? request.Join.Permissions;
        if (present is null)
        {
            RequireNotBanned(s, request.Join);
            if (s.Options.MaxParticipants > 0 && s.Participants.Length >= s.Options.MaxParticipants)
                throw new RoomException(RoomErrorCode.LimitReached, $"Room '{RoomId}' is full ({s.Options.MaxParticipants} participants).");
            drafts.Add(new RoomEvent
            {
                RoomId = RoomId, Timestamp = default, Type = RoomEventType.Joined,
                Identity = identity, Permissions = request.Join.Permissions, Metadata = request.Join.Metadata ?? "",
            });
        }
        drafts.AddRange(PublishDrafts(s, identity, permissions, publish));
        drafts.AddRange(SubscribeDrafts(s, identity, permissions, subscribe));
        await CommitAsync(drafts);

        var after = Snapshot;
        var streams = publish.Select(p => p.StreamId).Concat(subscribe)
            .Select(streamId => after.Streams.First(x => x.StreamId == streamId));
        return new MediaJoinResult(present is null, [.. streams]);
    }

    private IEnumerable<RoomEvent> PublishDrafts(RoomSnapshot s, string identity, ParticipantPermissions permissions, ImmutableArray<PublishRequest> publish)
    {
        if (publish.IsEmpty)
            return [];
        if (!permissions.HasFlag(ParticipantPermissions.Publish))
            throw new RoomException(RoomErrorCode.Forbidden, $"'{identity}' may not publish.");
        if (publish.Select(p => p.StreamId).Distinct(StringComparer.Ordinal).Count() != publish.Length)
            throw new RoomException(RoomErrorCode.Invalid, "a stream id appears twice.");
        var fresh = new List<PublishRequest>();
        foreach (var p in publish)
        {
            var existing = s.Streams.FirstOrDefault(x => x.StreamId == p.StreamId);
            if (existing is null)
                fresh.Add(p);
            else if (existing.PublisherIdentity != identity)
                throw new RoomException(RoomErrorCode.Conflict, $"Stream '{p.StreamId}' already exists in room '{RoomId}'.");
        }
        bool newPublisher = fresh.Count > 0 && !s.Streams.Any(x => x.PublisherIdentity == identity);
        if (newPublisher && s.Options.MaxPublishers > 0 && RoomStateProjector.PublisherCount(s) >= s.Options.MaxPublishers)
            throw new RoomException(RoomErrorCode.LimitReached, $"Room '{RoomId}' has its {s.Options.MaxPublishers} publishers.");
        return fresh.Select(p => new RoomEvent
        {
            RoomId = RoomId, Timestamp = default, Type = RoomEventType.Published,
            Identity = identity, StreamId = p.StreamId, Kind = p.Kind, Codec = p.Codec,
            Ssrcs = p.Ssrcs.IsDefault ? [] : p.Ssrcs, OriginSilo = p.OriginSilo,
        }).ToList();
    }

    private IEnumerable<RoomEvent> SubscribeDrafts(RoomSnapshot s, string identity, ParticipantPermissions permissions, ImmutableArray<string> subscribe)
    {
        if (subscribe.IsEmpty)
            return [];
        if (!permissions.HasFlag(ParticipantPermissions.Subscribe))
            throw new RoomException(RoomErrorCode.Forbidden, $"'{identity}' may not subscribe.");
        foreach (var streamId in subscribe)
            if (!s.Streams.Any(x => x.StreamId == streamId))
                throw new RoomException(RoomErrorCode.NotFound, $"Room '{RoomId}' has no stream '{streamId}'.");
        return subscribe.Distinct(StringComparer.Ordinal)
            .Where(streamId => FindSubscription(s, identity, streamId) is null)
            .Select(streamId => new RoomEvent { RoomId = RoomId, Timestamp = default, Type = RoomEventType.Subscribed, Identity = identity, StreamId = streamId })
            .ToList();
    }
}
