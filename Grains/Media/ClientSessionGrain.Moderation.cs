using Grains.Interfaces.Media;

namespace Grains.Media;

/// <summary>The session's side of moderation: the room ends it (see <c>ModeratedSessions</c>).</summary>
public sealed partial class ClientSessionGrain
{
    public Task EndAsync(string reason, string? onlyIfPublishing)
    {
        if (state.State.Session is not { } session || session.Status == ClientSessionStatus.Closed)
            return Task.CompletedTask;
        if (onlyIfPublishing is not null && (session.Kind != ClientSessionKind.Publish || !session.StreamIds.Contains(onlyIfPublishing)))
            return Task.CompletedTask;
        if (reason.StartsWith("kicked", StringComparison.Ordinal))
            SessionLifecycleLog.Kicked(logger, session, reason);
        return CloseAsync(reason, closedByNode: false);
    }
}
