using MediaPlane.Contracts;

namespace MediaPlane.Routing;

/// <summary>What a session reports to the router that owns it.</summary>
internal interface IRoutedSessionHost
{
    void OnSessionConnected(IRoutedSession session);

    void OnSessionFailed(IRoutedSession session, SessionCloseReason reason, string? detail);
}
