using Grains.Interfaces.Media;

namespace Grains.Media;

/// <summary>The session's side of moderation: the room ends it (see <c>ModeratedSessions</c>).</summary>
public sealed partial class ClientSessionGrain
{
    public Task EndAsync(string reason, string? onlyIfCarrying)
    {
        if (state.State.Session is not { } session || session.Status == ClientSessionStatus.Closed)
            return Task.CompletedTask;
        // A publishing session's StreamIds are what it publishes; a subscribing session's are what it views.
        if (onlyIfCarrying is not null && !session.StreamIds.Contains(onlyIfCarrying))
            return Task.CompletedTask;
        if (reason.StartsWith("kicked", StringComparison.Ordinal))
            SessionLifecycleLog.Kicked(logger, session, reason);
        return CloseAsync(reason, closedByNode: false);
    }
}
