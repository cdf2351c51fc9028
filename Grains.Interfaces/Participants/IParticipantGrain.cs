using System.Collections.Immutable;

namespace Grains.Interfaces.Participants;

/// <summary>
/// One participant of one room, keyed by <c>RoomIds.ParticipantKey(room, identity)</c>. Holds its
/// permissions and the streams it publishes and subscribes to. Called by the room grain, which decides.
/// </summary>
[Alias("Rtc.IParticipantGrain")]
public interface IParticipantGrain : IGrainWithStringKey
{
    [Alias("Join")] Task<ParticipantInfo> JoinAsync(JoinRequest request, DateTimeOffset at);

    [Alias("Leave")] Task LeaveAsync();

    /// <summary>Null when not currently in the room.</summary>
    [Alias("Get")] Task<ParticipantInfo?> GetAsync();

    [Alias("AddPublished")] Task AddPublishedAsync(string streamId);

    [Alias("RemovePublished")] Task RemovePublishedAsync(string streamId);

    [Alias("AddSubscription")] Task AddSubscriptionAsync(string streamId);

    [Alias("RemoveSubscription")] Task RemoveSubscriptionAsync(string streamId);

    [Alias("GetPublished")] Task<ImmutableArray<string>> GetPublishedAsync();

    [Alias("GetSubscriptions")] Task<ImmutableArray<string>> GetSubscriptionsAsync();

    /// <summary>Called by the participant's WHIP/WHEP session grains as they open and close.</summary>
    [Alias("AddSession")] Task AddSessionAsync(string sessionId);

    [Alias("RemoveSession")] Task RemoveSessionAsync(string sessionId);

    /// <summary>Open session ids (see <c>IClientSessionGrain</c>).</summary>
    [Alias("GetSessions")] Task<ImmutableArray<string>> GetSessionsAsync();
}
