using System.Collections.Immutable;
using Grains.Interfaces.Events;
using Grains.Interfaces.Participants;
using Grains.Interfaces.Streams;
using Orleans.Concurrency;

namespace Grains.Interfaces.Rooms;

/// <summary>
/// A room, keyed by its id (see <see cref="RoomIds"/>). The room is the authority for its limits and
/// writes every change to its append-only event log. Failures are reported with <see cref="RoomException"/>.
/// Reads of the live state interleave with writes (they see the last committed state), so that a join's
/// reads do not queue behind other joins' event-log appends.
/// </summary>
[Alias("Rtc.IRoomGrain")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>Creates the room. Creating an open room again with the same options returns it; other options conflict.</summary>
    [Alias("Create")] Task<RoomInfo> CreateAsync(RoomOptions options);

    /// <summary>The room, or null when it was never created.</summary>
    [AlwaysInterleave, Alias("Get")] Task<RoomInfo?> GetAsync();

    /// <summary>Closes the room: everyone leaves, streams end. Idempotent.</summary>
    [Alias("Close")] Task CloseAsync(string reason);

    [Alias("Join")] Task<ParticipantInfo> JoinAsync(JoinRequest request);

    /// <summary>Removes a participant; unknown identities are ignored (idempotent).</summary>
    [Alias("Leave")] Task LeaveAsync(string identity);

    /// <summary>
    /// Removes a participant and ends their WHIP/WHEP sessions; the identity may not join again for the room's
    /// <see cref="RoomOptions.KickBan"/> unless an admin joins it (<c>JoinRequest.OverrideBan</c>) or lifts the ban.
    /// </summary>
    [Alias("Kick")] Task KickAsync(string identity, string reason);

    /// <summary>Lifts a kicked identity's ban before it runs out. Idempotent.</summary>
    [Alias("Unban")] Task UnbanAsync(string identity);

    /// <summary>Logs a recording's start, stop or failure (the recording grain calls it); clients are told.</summary>
    [Alias("LogRecording")] Task LogRecordingAsync(Events.RoomEventType type, string recordingId, string? reason);

    [Alias("Publish")] Task<StreamInfo> PublishAsync(PublishRequest request);

    [Alias("Unpublish")] Task UnpublishAsync(string streamId);

    [Alias("Subscribe")] Task<SubscriptionInfo> SubscribeAsync(string subscriberIdentity, string streamId);

    /// <summary>
    /// Subscribes to several streams in one call, committed as one batch (one checkpoint instead of one per stream), in
    /// the order given; streams already subscribed are kept as they are. All ids are checked before anything is written.
    /// </summary>
    [Alias("SubscribeMany")] Task<ImmutableArray<SubscriptionInfo>> SubscribeManyAsync(string subscriberIdentity, ImmutableArray<string> streamIds);

    [Alias("Unsubscribe")] Task UnsubscribeAsync(string subscriberIdentity, string streamId);

    /// <summary>
    /// Join (unless present), publish and subscribe as one call and one committed batch, for a WHIP/WHEP session:
    /// everything is checked before anything is written, so a refusal changes nothing. Idempotent for a retry.
    /// </summary>
    [Alias("JoinWithMedia")] Task<MediaJoinResult> JoinWithMediaAsync(MediaJoinRequest request);

    [AlwaysInterleave, Alias("GetParticipants")] Task<ImmutableArray<ParticipantInfo>> GetParticipantsAsync();

    [AlwaysInterleave, Alias("GetStreams")] Task<ImmutableArray<StreamInfo>> GetStreamsAsync();

    /// <summary>The live state, in the same shape replay produces.</summary>
    [AlwaysInterleave, Alias("GetSnapshot")] Task<RoomSnapshot> GetSnapshotAsync();

    /// <summary>A page of the event log: events with sequence &gt; <paramref name="afterSequence"/>, at most <paramref name="limit"/>.</summary>
    /// <remarks>Interleaves: reading the log does not hold up the room's changes.</remarks>
    [AlwaysInterleave, Alias("GetEvents")] Task<RoomEventPage> GetEventsAsync(long afterSequence, int limit);

    /// <summary>The state at <paramref name="at"/>, rebuilt from the event log alone.</summary>
    /// <remarks>Interleaves and replays on <see cref="IRoomHistoryGrain"/>: a replay of a long log does not hold up the room's changes.</remarks>
    [AlwaysInterleave, Alias("GetStateAt")] Task<RoomSnapshot> GetStateAtAsync(DateTimeOffset at);
}
