namespace MediaPlane.Contracts;

/// <summary>
/// How the media plane tells the control plane about sessions, without knowing Orleans. Called off the
/// packet path (handshake threads, the consent sweeper); implementations return quickly.
/// </summary>
public interface IMediaSessionObserver
{
    void OnConnected(string sessionId);

    void OnClosed(string sessionId, SessionCloseReason reason, string? detail);
}
